package dev.afk.controlplane.workspace;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Runs {@link Workspaces#housekeep} on a schedule and once at start-up, where it is the recovery
 * step: worktrees left by runs that ended while the service was down are reported and removed.
 */
@ApplicationScoped
public class WorkspaceHousekeeping {

    private static final Logger LOG = Logger.getLogger(WorkspaceHousekeeping.class);

    private final Workspaces workspaces;
    private final LiveRuns liveRuns;
    private final WorkspacesConfig config;

    WorkspaceHousekeeping(Workspaces workspaces, LiveRuns liveRuns, WorkspacesConfig config) {
        this.workspaces = workspaces;
        this.liveRuns = liveRuns;
        this.config = config;
    }

    void recoverAtStartup(@Observes StartupEvent started) {
        if (config.housekeeping().atStartup()) {
            run("start-up recovery").subscribe().with(
                    done -> { },
                    failure -> LOG.warnf("Workspace start-up recovery failed: %s", failure.getMessage()));
        }
    }

    /** The first tick waits, since start-up recovery has just done the same work. */
    @Scheduled(every = "${afk.workspaces.housekeeping.every:1h}", delay = 10, delayUnit = TimeUnit.MINUTES,
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduled() {
        return run("scheduled housekeeping").replaceWithVoid();
    }

    /** Housekeeping now, for an operator or a test; safe alongside the schedule (per-repository locks). */
    public Uni<Workspaces.Housekeeping> runNow() {
        return run("housekeeping on demand");
    }

    private Uni<Workspaces.Housekeeping> run(String occasion) {
        return liveRuns.liveRunIds()
                .flatMap(workspaces::housekeep)
                .invoke(result -> LOG.infof("Workspace %s: %d orphaned worktrees removed, %d checkouts evicted, %d bytes used",
                        occasion, result.worktreesRemoved(), result.checkoutsEvicted(), result.bytesUsed()));
    }
}
