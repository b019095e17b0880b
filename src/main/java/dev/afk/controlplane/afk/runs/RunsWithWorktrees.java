package dev.afk.controlplane.afk.runs;

import dev.afk.controlplane.workspace.LiveRuns;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashSet;
import java.util.Set;

/**
 * The runs whose worktrees housekeeping must keep: every run not yet finished (its effects
 * included), and the run that froze a repository, kept for forensics until an admin unfreezes it.
 */
@ApplicationScoped
public class RunsWithWorktrees implements LiveRuns {

    private final Pool pool;

    RunsWithWorktrees(Pool pool) {
        this.pool = pool;
    }

    @Override
    public Uni<Set<String>> liveRunIds() {
        return pool.query("""
                        select id::text as id from afk_run where active or effects_pending
                        union
                        select frozen_by_run::text from afk_repo where frozen_by_run is not null""")
                .execute()
                .map(rows -> {
                    Set<String> ids = new HashSet<>();
                    for (Row row : rows) {
                        ids.add(row.getString("id"));
                    }
                    return ids;
                });
    }
}
