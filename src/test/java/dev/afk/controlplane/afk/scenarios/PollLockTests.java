package dev.afk.controlplane.afk.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import dev.afk.controlplane.common.RepoSlug;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The poller holds no transaction and no advisory lock while it waits on GitHub. */
@QuarkusTest
class PollLockTests extends PipelineScenario {

    @Inject
    Pool pool;

    @Test
    void noLockOrTransactionIsHeldWhileGitHubAnswers() {
        RepoSlug repo = enroll("no-lock");
        readyIssue(repo, 3);
        List<String> seen = new ArrayList<>();
        tracker.whileListing(repo, () -> pool.query("""
                        select (select count(*) from pg_locks where locktype = 'advisory') as advisory,
                               (select count(*) from pg_stat_activity
                                where datname = current_database() and state like 'idle in transaction%') as open_tx""")
                .execute()
                .invoke(rows -> rows.forEach(row -> seen.add(row.getLong("advisory") + "/" + row.getLong("open_tx"))))
                .replaceWithVoid());

        poll();

        assertThat(seen).as("advisory locks / idle transactions while the issues were listed").containsExactly("0/0");
        assertThat(state(repo)).as("and the run is still queued").isEqualTo("QUEUED");
    }
}
