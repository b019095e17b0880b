package dev.afk.controlplane.afk.dispatch;

import dev.afk.controlplane.afk.PipelineConfig;
import dev.afk.controlplane.afk.killswitch.KillSwitch;
import dev.afk.controlplane.afk.repos.Landing;
import dev.afk.controlplane.afk.repos.Repo;
import dev.afk.controlplane.afk.repos.RepoStore;
import dev.afk.controlplane.afk.runs.RunQueue;
import dev.afk.controlplane.afk.runs.RunStore;
import dev.afk.controlplane.common.DomainException;
import dev.afk.controlplane.executor.Executor;
import dev.afk.controlplane.tracker.IssueTracker;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/** "What would dispatch now, and why not the others": the poller's reading, without queuing anything. */
@ApplicationScoped
public class DryRun {

    private final Pool pool;
    private final RepoStore repos;
    private final RunStore runs;
    private final RunQueue queue;
    private final IssueTracker tracker;
    private final Executor executor;
    private final KillSwitch killSwitch;
    private final ReleaseStore releases;
    private final PipelineConfig config;

    DryRun(Pool pool, RepoStore repos, RunStore runs, RunQueue queue, IssueTracker tracker, Executor executor,
            KillSwitch killSwitch, ReleaseStore releases, PipelineConfig config) {
        this.pool = pool;
        this.repos = repos;
        this.runs = runs;
        this.queue = queue;
        this.tracker = tracker;
        this.executor = executor;
        this.killSwitch = killSwitch;
        this.releases = releases;
        this.config = config;
    }

    /**
     * One repository's plan: its candidates in dispatch order, each with its verdict, or why the
     * repository could not be read ({@code unavailable}) — one unreachable repository does not hide
     * the others — and how a dispatched issue would land ({@code landing}).
     */
    public record RepoPlan(String repo, Landing landing, List<DispatchVerdict> candidates, String unavailable) {}

    public Uni<List<RepoPlan>> plan() {
        return Uni.combine().all().unis(killSwitch.engaged(), executor.dispatchHold()).asTuple()
                .chain(held -> repos.list(pool)
                        .onItem().transformToMulti(list -> Multi.createFrom().iterable(list))
                        .onItem().transformToUniAndConcatenate(repo -> plan(repo, held.getItem1(), held.getItem2().orElse(null)))
                        .collect().asList());
    }

    private Uni<RepoPlan> plan(Repo repo, boolean killSwitchEngaged, String executorHold) {
        // Reads the workflow file without recording an error: a dry run changes nothing.
        return Uni.combine().all().unis(runs.activity(pool, repo.slug()), queue.workflowReadOnly(repo)).asTuple()
                .chain(t -> {
                    var activity = t.getItem1();
                    Gates gates = new Gates(killSwitchEngaged, true, repo.paused(), repo.frozen(), t.getItem2().error(),
                            activity.inRepo(), activity.issuesInRepo(), activity.global(), config.globalCap(),
                            repo.labels().ready(), executorHold, activity.lastRunAt());
                    return tracker.openIssuesWithLabel(repo.slug(), repo.labels().ready())
                            .onItem().transformToMulti(issues -> Multi.createFrom().iterable(issues))
                            .onItem().transformToUniAndConcatenate(issue -> Candidates.gather(tracker, repo, issue)
                                    .chain(gathered -> releases.withPin(pool, repo.slug(), gathered))
                                    .chain(pinned -> Candidates.confirmTrust(tracker, repo, gates, pinned)))
                            .collect().asList()
                            .map(candidates -> new RepoPlan(repo.slug().toString(), repo.landing(),
                                    DispatchPolicy.plan(gates, candidates), null));
                })
                .onFailure().recoverWithItem(e -> new RepoPlan(repo.slug().toString(), repo.landing(), List.of(),
                        unavailable(e)));
    }

    /** Our own problems say what is wrong in words fit for an operator; anything else stays generic. */
    private static String unavailable(Throwable failure) {
        return failure instanceof DomainException problem ? problem.detail() : "the issue tracker could not be read";
    }
}
