package dev.afk.controlplane.afk.registry;

import dev.afk.controlplane.afk.runs.Run;
import dev.afk.controlplane.afk.runs.RunQuestions;
import dev.afk.controlplane.afk.runs.RunService;
import dev.afk.controlplane.afk.runs.RunState;
import dev.afk.controlplane.agents.queue.AnswerRelay;
import dev.afk.controlplane.agents.queue.OperatorQueue;
import dev.afk.controlplane.agents.queue.QueueItem;
import dev.afk.controlplane.executor.Executor.PendingRequest;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * A run waiting on the executor (T3's user-input or approval request) asks through the operator
 * queue of its repository's implementer agent. The item's source id is the executor's request id,
 * so observing the same request again raises it once. An answer from the queue takes the run's own
 * answer route ({@link RunService#answer}), which relays it to the thread once; an answer through
 * the run's route closes the item without a relay.
 */
@ApplicationScoped
public class RunQuestionsInQueue implements RunQuestions, AnswerRelay {

    /** The queue source of executor requests. */
    public static final String SOURCE = "t3";

    private static final Logger LOG = Logger.getLogger(RunQuestionsInQueue.class);
    private static final int MAX_TEXT = 4000;
    private static final int SCAN = 500;

    private final OperatorQueue queue;
    private final RunService runs;

    RunQuestionsInQueue(OperatorQueue queue, RunService runs) {
        this.queue = queue;
        this.runs = runs;
    }

    @Override
    public String source() {
        return SOURCE;
    }

    @Override
    public Uni<Void> asked(Run run, PendingRequest request) {
        String agent = ImplementerAgents.agentName(run.repo());
        return queue.raise(agent, SOURCE, item(run, request)).invoke(raised -> {
            if (!raised.accepted()) {
                LOG.warnf("Run %s's %s is not in the operator queue of %s: %s", run.id(), request.requestId(), agent,
                        raised.rejection());
            }
        }).replaceWithVoid();
    }

    /** The item as the queue reads any agent's: operators answer runs, as on the run's own route. */
    static Map<String, Object> item(Run run, PendingRequest request) {
        boolean approval = request.kind() == PendingRequest.Kind.APPROVAL;
        String text = request.text() == null || request.text().isBlank()
                ? "The agent of run " + run.id() + " waits on " + (approval ? "an approval" : "an answer")
                : request.text().strip();
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("id", request.requestId());
        item.put("kind", approval ? "approval" : "question");
        item.put("priority", "high");
        item.put("addressee", "role:operator");
        String full = run.repo() + "#" + run.issue() + ": " + text;
        item.put("text", full.length() <= MAX_TEXT ? full : full.substring(0, MAX_TEXT));
        if (approval) {
            item.put("options", List.of("accept", "decline"));
        }
        return item;
    }

    @Override
    public Uni<Void> answered(Run run, PendingRequest request, String answer, String by) {
        if (request == null) {
            return Uni.createFrom().voidItem();
        }
        return queue.answeredAtSource(ImplementerAgents.agentName(run.repo()), SOURCE, request.requestId(), answer, by)
                .onFailure().invoke(e -> LOG.warnf("The queue item of run %s's %s could not be closed: %s", run.id(),
                        request.requestId(), e.getClass().getSimpleName()))
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    /**
     * Hands a queue answer to the run that waits on the request, through the run's answer route. No
     * run waiting on it (it moved on, or was answered on its route first) fails the relay.
     */
    @Override
    public Uni<Void> relay(QueueItem item) {
        return runs.list(null, RunState.NEEDS_INPUT, SCAN).chain(waiting -> {
            Run run = waiting.stream()
                    .filter(r -> ImplementerAgents.agentName(r.repo()).equals(item.agent()))
                    .filter(r -> r.progress().pendingRequest() != null
                            && item.sourceRef().equals(r.progress().pendingRequest().requestId()))
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException("no run of " + item.agent() + " waits on " + item.sourceRef()));
            return runs.answer(run.id(), item.answer(), item.answeredBy());
        }).replaceWithVoid();
    }
}
