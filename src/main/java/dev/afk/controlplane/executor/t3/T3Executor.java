package dev.afk.controlplane.executor.t3;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.afk.controlplane.common.RepoSlug;
import dev.afk.controlplane.executor.Executor;
import dev.afk.controlplane.executor.ExecutorException;
import dev.afk.controlplane.executor.ExecutorException.Reason;
import dev.afk.controlplane.executor.t3.T3Metrics.Outcome;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * The {@link Executor} on T3 Code's HTTP API (t3-api.md). Commands carry the caller's ids, so a
 * retry is a no-op on T3's side; T3 answers every business-rule failure with the same opaque 500,
 * so after one the read model decides whether the command had in fact already been applied.
 */
@ApplicationScoped
public class T3Executor implements Executor {

    private static final Logger LOG = Logger.getLogger(T3Executor.class);
    private static final String DISPATCH = "/api/orchestration/dispatch";
    /** Long enough for any reconcile to see the interrupted turn end. */
    private static final Duration INTERRUPT_MEMORY = Duration.ofDays(1);

    private final T3Http http;
    private final T3Reader reader;
    private final T3Metrics metrics;
    private final T3Config config;
    private final ObjectMapper mapper;
    private final T3Commands commands;
    private final Clock clock;
    private final T3ProtocolGate gate;
    /** When we last asked to interrupt each thread: T3 often ends such a turn as a plain error. */
    private final Map<String, Instant> interrupts = new ConcurrentHashMap<>();

    T3Executor(T3Http http, T3Reader reader, T3Metrics metrics, T3Config config, ObjectMapper mapper, Clock clock,
            T3ProtocolGate gate) {
        this.gate = gate;
        this.http = http;
        this.reader = reader;
        this.metrics = metrics;
        this.config = config;
        this.mapper = mapper;
        this.commands = new T3Commands(mapper, config);
        this.clock = clock;
    }

    /** The same repository always gets the same project id, so every replica agrees without storing it. */
    static String projectId(RepoSlug repo) {
        return UUID.nameUUIDFromBytes(("afk-project:" + repo).getBytes(StandardCharsets.UTF_8)).toString();
    }

    @Override
    public Uni<String> ensureProject(RepoSlug repo, String workspaceRoot) {
        String projectId = projectId(repo);
        return reader.projectExists(projectId).onItem().transformToUni(exists -> {
            if (exists) {
                return Uni.createFrom().item(projectId);
            }
            // A fresh commandId per call (retries inside it reuse it): T3 keeps rejected receipts,
            // and one failed attempt must not block the repository's project forever.
            ObjectNode command = commands.projectCreate("afk-project-create-" + projectId + "-" + UUID.randomUUID(),
                    projectId, repo.toString(), workspaceRoot, clock.instant());
            return dispatch(command, () -> reader.projectExists(projectId)).replaceWith(projectId);
        });
    }

    @Override
    public Uni<Void> startWork(StartWork work) {
        ObjectNode create = commands.threadCreate(work.createCommandId(), work.threadId(), work.projectId(), work.title(),
                work.model(), work.branch(), work.worktreePath(), clock.instant());
        return dispatch(create, () -> reader.thread(work.threadId()).map(Optional::isPresent))
                .onItem().transformToUni(created ->
                        sendMessage(work.threadId(), work.turnCommandId(), work.messageId(), work.prompt()));
    }

    @Override
    public Uni<Void> sendMessage(String threadId, String commandId, String messageId, String text) {
        ObjectNode turn = commands.turnStart(commandId, threadId, messageId, text, clock.instant());
        return dispatch(turn, () -> reader.thread(threadId)
                        .map(thread -> thread.flatMap(t -> t.message(messageId)).isPresent()))
                .replaceWithVoid();
    }

    @Override
    public Uni<Map<String, ThreadObservation>> observe(Collection<String> threadIds) {
        return reader.threads(threadIds).map(threads -> {
            Map<String, ThreadObservation> observed = new LinkedHashMap<>();
            for (String id : threadIds) {
                observed.put(id, T3ThreadStates.observe(threads.get(id), interrupts.get(id)));
            }
            return observed;
        });
    }

    @Override
    public Uni<Void> answer(String threadId, String commandId, PendingRequest request, String answer) {
        ObjectNode command;
        Instant now = clock.instant();
        if (request.kind() == PendingRequest.Kind.APPROVAL) {
            String decision = answer == null ? "" : answer.strip();
            if (!T3Commands.DECISIONS.contains(decision)) {
                return Uni.createFrom().failure(new ExecutorException(Reason.REJECTED,
                        "an approval is answered with one of " + T3Commands.DECISIONS));
            }
            command = commands.approvalRespond(commandId, threadId, request.requestId(), decision, now);
        } else {
            if (request.questionIds() == null || request.questionIds().isEmpty() || answer == null || answer.isBlank()) {
                return Uni.createFrom().failure(new ExecutorException(Reason.REJECTED,
                        "a question needs its question ids and a non-blank answer"));
            }
            Map<String, String> answers = new LinkedHashMap<>();
            request.questionIds().forEach(id -> answers.put(id, answer));
            command = commands.userInputRespond(commandId, threadId, request.requestId(), answers, now);
        }
        return dispatch(command, () -> reader.thread(threadId).map(thread -> thread
                        .map(t -> t.activities().stream().anyMatch(a -> a.kind() != null && a.kind().endsWith(".resolved")
                                && request.requestId().equals(a.requestId())))
                        .orElse(false)))
                .replaceWithVoid();
    }

    @Override
    public Uni<Void> interrupt(String threadId, String commandId) {
        return reader.thread(threadId).onItem().transformToUni(thread -> {
            String turnId = thread.map(T3Executor::activeTurn).orElse(null);
            Instant now = clock.instant();
            interrupts.values().removeIf(at -> at.isBefore(now.minus(INTERRUPT_MEMORY)));
            interrupts.put(threadId, now);
            ObjectNode command = commands.turnInterrupt(commandId, threadId, turnId, clock.instant());
            return dispatch(command, () -> sessionIdle(threadId));
        }).replaceWithVoid();
    }

    @Override
    public Uni<Void> stopSession(String threadId, String commandId) {
        ObjectNode command = commands.sessionStop(commandId, threadId, clock.instant());
        return dispatch(command, () -> sessionIdle(threadId)).replaceWithVoid();
    }

    @Override
    public Uni<Optional<String>> dispatchHold() {
        return gate.hold();
    }

    @Override
    public URI deepLink(String threadId) {
        URI base = config.uiBaseUrl().or(config::baseUrl).orElseThrow(() ->
                new ExecutorException(Reason.NOT_CONFIGURED, "no T3 UI base URL is configured"));
        String root = base.toString().endsWith("/") ? base.toString() : base + "/";
        return URI.create(root + URLEncoder.encode(threadId, StandardCharsets.UTF_8));
    }

    private static String activeTurn(T3ReadModel.Thread thread) {
        if (thread.session() != null && thread.session().activeTurnId() != null) {
            return thread.session().activeTurnId();
        }
        T3ReadModel.Turn turn = thread.latestTurn();
        return turn != null && "running".equals(turn.state()) ? turn.turnId() : null;
    }

    private Uni<Boolean> sessionIdle(String threadId) {
        return reader.thread(threadId).map(thread -> thread
                .map(t -> t.session() == null || !t.session().live())
                .orElse(false));
    }

    /**
     * Sends one command and interprets T3's answer (t3-api.md §2.2). {@code alreadyApplied} reads
     * the read model after an opaque 500 to tell "it exists already" (success) from a failure.
     */
    private Uni<Outcome> dispatch(ObjectNode command, Supplier<Uni<Boolean>> alreadyApplied) {
        String type = command.path("type").asText();
        String body;
        try {
            body = mapper.writeValueAsString(command);
        } catch (Exception e) {
            return Uni.createFrom().failure(new ExecutorException(Reason.CONTRACT_DRIFT, type + ": cannot encode"));
        }
        Uni<Outcome> call = http.exchange(T3Request.post(DISPATCH, body, type))
                .onFailure().transform(T3Http::unavailableWhenOpen)
                .onItem().transformToUni(response -> interpret(type, response, alreadyApplied));
        return metrics.timed(type, call);
    }

    private Uni<Outcome> interpret(String type, T3Response response, Supplier<Uni<Boolean>> alreadyApplied) {
        int status = response.status();
        String reason = response.errorReason(mapper);
        if (status == 200) {
            return Uni.createFrom().item(Outcome.OK);
        }
        if ((status == 400 || status == 500) && response.hasEmptyBody()) {
            LOG.errorf("T3 rejected our %s as malformed (%d, empty body): schema drift between this adapter and T3",
                    type, status);
            return fail(Reason.CONTRACT_DRIFT, type + ": T3 does not understand the command (schema drift)");
        }
        if (status == 400 && "invalid_command".equals(reason)) {
            return fail(Reason.REJECTED, type + ": T3 rejected the command's input (invalid_command)");
        }
        if (status == 500 && "orchestration_dispatch_failed".equals(reason)) {
            return alreadyApplied.get().onItem().transformToUni(applied -> applied
                    ? Uni.createFrom().item(Outcome.ALREADY_APPLIED)
                    : fail(Reason.FAILED, type + ": T3 failed the command (orchestration_dispatch_failed)"));
        }
        return fail(Reason.FAILED, type + ": T3 answered " + status + (reason.isEmpty() ? "" : " " + reason));
    }

    private static <T> Uni<T> fail(Reason reason, String detail) {
        return Uni.createFrom().failure(new ExecutorException(reason, detail));
    }
}
