package dev.afk.controlplane.afk.judgment;

import dev.afk.controlplane.afk.PipelineTicks;
import dev.afk.controlplane.agents.NativeAgents;
import dev.afk.controlplane.agents.runtime.AgentSpec;
import dev.afk.controlplane.tracker.Issue;
import dev.afk.controlplane.tracker.IssueChanged;
import dev.afk.controlplane.tracker.IssueTracker;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.vertx.core.runtime.context.VertxContextSafetyToggle;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Starts triage tasks: at once for an issue a webhook says was opened or edited, and on a poll
 * (every {@code afk.judgment.triage-poll-every}) for every open issue changed since its last triage, in the
 * repository of every running {@code triage} agent. Each is a task of that agent, like any other.
 */
@ApplicationScoped
public class TriageTicks {

    private static final Logger LOG = Logger.getLogger(TriageTicks.class);
    static final String REQUESTED_BY = "service:triage";

    private final NativeAgents agents;
    private final IssueTracker tracker;
    private final TriageComments comments;
    private final Vertx vertx;

    TriageTicks(NativeAgents agents, IssueTracker tracker, TriageComments comments, Vertx vertx) {
        this.agents = agents;
        this.tracker = tracker;
        this.comments = comments;
        this.vertx = vertx;
    }

    /** A webhook's nudge; never fails the delivery. */
    void issueChanged(@Observes IssueChanged changed) {
        Context context = VertxContext.createNewDuplicatedContext(vertx.getOrCreateContext());
        VertxContextSafetyToggle.setContextSafe(context, true);
        context.runOnContext(ignored -> agentsFor(changed.repo().toString())
                .onItem().transformToMulti(list -> Multi.createFrom().iterable(list))
                .onItem().transformToUniAndConcatenate(agent -> submit(agent, changed.number(), "webhook"))
                .collect().last()
                .subscribe().with(done -> {}, e -> LOG.warnf("Triage of %s#%d not started: %s", changed.repo(), changed.number(), e.toString())));
    }

    @Scheduled(every = "${afk.judgment.triage-poll-every:5m}", delayed = "30s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = PipelineTicks.class)
    Uni<Void> pollScheduled() {
        return poll().onFailure().invoke(e -> LOG.warnf("Triage poll failed: %s", e.toString())).onFailure().recoverWithNull()
                .replaceWithVoid();
    }

    /** Queues a triage task for each open issue changed since it was last triaged; answers how many. */
    public Uni<Integer> poll() {
        return agents.running(TriageNodeType.NAME)
                .onItem().transformToMulti(list -> Multi.createFrom().iterable(list))
                .onItem().transformToUniAndConcatenate(agent -> Judgments.repo(agent.nodeConfig())
                        .map(repo -> tracker.openIssues(repo)
                                .onItem().transformToMulti(issues -> Multi.createFrom().iterable(issues))
                                .onItem().transformToUniAndConcatenate(issue -> changedSinceTriage(issue)
                                        .flatMap(changed -> changed ? submit(agent, issue.number(), "poll").map(ok -> ok ? 1 : 0)
                                                : Uni.createFrom().item(0)))
                                .collect().with(Collectors.summingInt(n -> n))
                                .onFailure().invoke(e -> LOG.warnf("Triage poll of %s failed: %s", repo, e.toString()))
                                .onFailure().recoverWithItem(0))
                        .orElseGet(() -> Uni.createFrom().item(0)))
                .collect().with(Collectors.summingInt(n -> n));
    }

    private Uni<Boolean> changedSinceTriage(Issue issue) {
        return comments.triagedAt(issue.repo(), issue.number())
                .map(at -> at.isEmpty() || (issue.updatedAt() != null && issue.updatedAt().isAfter(at.get())));
    }

    private Uni<List<AgentSpec>> agentsFor(String repo) {
        return agents.running(TriageNodeType.NAME).map(list -> list.stream()
                .filter(agent -> Judgments.repo(agent.nodeConfig()).map(r -> r.toString().equalsIgnoreCase(repo)).orElse(false))
                .toList());
    }

    /** A full agent is not an error: the next poll comes back to the issue. */
    private Uni<Boolean> submit(AgentSpec agent, int issue, String trigger) {
        return agents.submit(agent.name(), "#" + issue, REQUESTED_BY, trigger)
                .map(task -> true)
                .onFailure().invoke(e -> LOG.debugf("Triage of #%d by %s not queued: %s", issue, agent.name(), e.toString()))
                .onFailure().recoverWithItem(false);
    }
}
