package dev.afk.controlplane.executor.t3;

import static dev.afk.controlplane.executor.t3.T3TestSupport.REPO;
import static dev.afk.controlplane.executor.t3.T3TestSupport.await;
import static dev.afk.controlplane.executor.t3.T3TestSupport.id;
import static dev.afk.controlplane.executor.t3.T3TestSupport.work;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.afk.controlplane.executor.Executor.PendingRequest;
import dev.afk.controlplane.executor.Executor.StartWork;
import dev.afk.controlplane.executor.Executor.ThreadObservation;
import dev.afk.controlplane.executor.Executor.ThreadStatus;
import dev.afk.controlplane.executor.ExecutorException;
import dev.afk.controlplane.fakes.t3.AgentScript;
import dev.afk.controlplane.fakes.t3.FakeT3Server;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import jakarta.inject.Inject;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The adapter driving the fake T3 through dispatch, every thread state and every error mapping. */
@QuarkusTest
class T3ExecutorTests {

    @Inject
    T3Executor executor;

    @Inject
    T3Reader reader;

    @Inject
    CircuitBreakerMaintenance breakers;

    @Inject
    MeterRegistry registry;

    private FakeT3Server t3;

    private FakeT3Server t3(String version) {
        t3 = T3TestSupport.fresh(version, reader, breakers);
        return t3;
    }

    @AfterEach
    void healthyAgain() {
        T3TestSupport.fresh("0.0.32", reader, breakers);
    }

    private String project() {
        return await(executor.ensureProject(REPO, "/data/repos/acme/widgets"));
    }

    private StartWork started(AgentScript script) {
        StartWork work = work(project());
        t3.onTurnStart(work.threadId(), script);
        await(executor.startWork(work));
        return work;
    }

    private ThreadObservation observe(String threadId) {
        return await(executor.observe(List.of(threadId))).get(threadId);
    }

    @Test
    void dispatchCreatesTheProjectThreadAndTurnWithTheCallersIds() {
        t3("0.0.32");
        StartWork work = started(AgentScript.complete());

        assertThat(project()).isEqualTo(T3Executor.projectId(REPO)).isEqualTo(work.projectId());
        List<JsonNode> sent = t3.dispatched();
        assertThat(sent).extracting(c -> c.path("type").asText())
                .containsExactly("project.create", "thread.create", "thread.turn.start");
        JsonNode project = sent.get(0);
        assertThat(project.path("workspaceRoot").asText()).isEqualTo("/data/repos/acme/widgets");
        assertThat(project.path("createWorkspaceRootIfMissing").asBoolean()).isTrue();
        assertThat(project.path("title").asText()).isEqualTo("acme/widgets");
        JsonNode thread = sent.get(1);
        assertThat(thread.path("commandId").asText()).isEqualTo(work.createCommandId());
        assertThat(thread.path("threadId").asText()).isEqualTo(work.threadId());
        assertThat(thread.path("branch").asText()).isEqualTo(work.branch());
        assertThat(thread.path("worktreePath").asText()).isEqualTo(work.worktreePath());
        assertThat(thread.path("modelSelection").path("instanceId").asText()).isEqualTo("claudeAgent");
        assertThat(thread.path("modelSelection").path("model").asText()).isEqualTo("claude-sonnet-4-6");
        assertThat(thread.path("createdAt").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
        JsonNode turn = sent.get(2);
        assertThat(turn.path("commandId").asText()).isEqualTo(work.turnCommandId());
        assertThat(turn.path("message").path("messageId").asText()).isEqualTo(work.messageId());
        assertThat(turn.path("message").path("text").asText()).isEqualTo(work.prompt());
        // The second ensureProject found the project in the read model and sent nothing.
        assertThat(t3.executed(project.path("commandId").asText())).isEqualTo(1);
        assertThat(observe(work.threadId()).status()).isEqualTo(ThreadStatus.IDLE_COMPLETED);
    }

    @Test
    void scriptedWorkRunsWhenTheTurnCompletes() {
        t3("0.0.32");
        AtomicReference<String> pushedFrom = new AtomicReference<>();
        StartWork work = started(AgentScript.complete().doing(turn -> pushedFrom.set(turn.worktreePath())));
        assertThat(pushedFrom.get()).isEqualTo(work.worktreePath());
    }

    @ParameterizedTest
    @ValueSource(strings = {"0.0.27", "0.0.32"})
    void everyThreadStateIsObservedInOneCall(String version) {
        t3(version);
        StartWork completed = started(AgentScript.complete());
        StartWork errored = started(AgentScript.error("simulated tool crash"));
        StartWork question = started(AgentScript.askQuestion("Which database should I use?", "Postgres", "SQLite"));
        StartWork approval = started(AgentScript.requestApproval("git push origin HEAD:main"));
        StartWork running = started(AgentScript.neverFinish());
        StartWork failed = started(AgentScript.failToStart("Claude Code native binary not found at claude."));
        String unknown = "never-created";

        Map<String, ThreadObservation> observed = await(executor.observe(List.of(completed.threadId(),
                errored.threadId(), question.threadId(), approval.threadId(), running.threadId(), failed.threadId(), unknown)));

        assertThat(observed.get(completed.threadId()).status()).isEqualTo(ThreadStatus.IDLE_COMPLETED);
        assertThat(observed.get(completed.threadId()).usage().inputTokens()).isEqualTo(1200);
        assertThat(observed.get(completed.threadId()).usage().turns()).isEqualTo(1);
        assertThat(observed.get(completed.threadId()).lastProgressAt()).isNotNull();
        assertThat(observed.get(errored.threadId()).status()).isEqualTo(ThreadStatus.ERRORED);
        assertThat(observed.get(errored.threadId()).error()).isEqualTo("simulated tool crash");
        assertThat(observed.get(question.threadId()).status()).isEqualTo(ThreadStatus.WAITING_FOR_INPUT);
        assertThat(observed.get(approval.threadId()).status()).isEqualTo(ThreadStatus.WAITING_FOR_APPROVAL);
        assertThat(observed.get(running.threadId()).status()).isEqualTo(ThreadStatus.RUNNING);
        assertThat(observed.get(failed.threadId()).status()).isEqualTo(ThreadStatus.FAILED_TO_START);
        assertThat(observed.get(failed.threadId()).error()).contains("binary not found");
        assertThat(observed.get(unknown)).isEqualTo(ThreadObservation.unknown());
        if (version.equals("0.0.32")) {
            assertThat(t3.requests()).doesNotContain("GET /api/orchestration/snapshot");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"0.0.27", "0.0.32"})
    void answeringAQuestionCompletesTheTurn(String version) {
        t3(version);
        StartWork work = started(AgentScript.askQuestion("Which database should I use?", "Postgres", "SQLite"));
        PendingRequest question = await(executor.pending(work.threadId())).getFirst();
        assertThat(question.kind()).isEqualTo(PendingRequest.Kind.QUESTION);
        assertThat(question.questionIds()).containsExactly("Which database should I use?");

        String commandId = id("answer");
        await(executor.answer(work.threadId(), commandId, question, "SQLite"));

        JsonNode sent = t3.dispatched().getLast();
        assertThat(sent.path("type").asText()).isEqualTo("thread.user-input.respond");
        assertThat(sent.path("answers").path("Which database should I use?").asText()).isEqualTo("SQLite");
        assertThat(observe(work.threadId()).status()).isEqualTo(ThreadStatus.IDLE_COMPLETED);
        // Answering again (a retry under a new id) finds it resolved already: success, nothing re-run.
        await(executor.answer(work.threadId(), commandId, question, "SQLite"));
        assertThat(t3.executed(commandId)).isEqualTo(1);
    }

    @Test
    void answeringAnApprovalSendsTheDecision() {
        t3("0.0.32");
        StartWork work = started(AgentScript.requestApproval("rm -rf target/flaky-cache"));
        PendingRequest approval = observe(work.threadId()).pending().getFirst();
        assertThat(approval.text()).isEqualTo("command: Bash: rm -rf target/flaky-cache");

        assertThatThrownBy(() -> await(executor.answer(work.threadId(), id("answer"), approval, "yes please")))
                .isInstanceOfSatisfying(ExecutorException.class,
                        e -> assertThat(e.reason()).isEqualTo(ExecutorException.Reason.REJECTED));
        await(executor.answer(work.threadId(), id("answer"), approval, "accept"));

        assertThat(t3.dispatched().getLast().path("decision").asText()).isEqualTo("accept");
        assertThat(observe(work.threadId()).status()).isEqualTo(ThreadStatus.IDLE_COMPLETED);
    }

    @ParameterizedTest
    @ValueSource(strings = {"0.0.27", "0.0.32"})
    void anInterruptedTurnIsInterruptedThoughT3EndsItAsAnError(String version) {
        t3(version);
        StartWork work = started(AgentScript.neverFinish());
        String activeTurn = t3.dispatched().stream().filter(c -> c.path("type").asText().equals("thread.turn.start"))
                .map(c -> c.path("threadId").asText()).findFirst().orElseThrow();
        assertThat(activeTurn).isEqualTo(work.threadId());

        await(executor.interrupt(work.threadId(), id("interrupt")));

        JsonNode interrupt = t3.dispatched().getLast();
        assertThat(interrupt.path("type").asText()).isEqualTo("thread.turn.interrupt");
        assertThat(interrupt.path("turnId").asText()).isNotBlank();
        assertThat(observe(work.threadId()).status()).isEqualTo(ThreadStatus.INTERRUPTED);
    }

    @Test
    void stoppingTheSessionEndsTheTurnAndAFollowUpResumesIt() {
        t3("0.0.32");
        StartWork work = started(AgentScript.neverFinish());
        await(executor.stopSession(work.threadId(), id("stop")));
        assertThat(t3.dispatched().getLast().path("type").asText()).isEqualTo("thread.session.stop");
        assertThat(observe(work.threadId()).status()).isEqualTo(ThreadStatus.INTERRUPTED);

        t3.onTurnStart(work.threadId(), AgentScript.complete());
        await(executor.sendMessage(work.threadId(), id("turn"), id("msg"), "CI is red: fix it forward."));
        ThreadObservation observed = observe(work.threadId());
        assertThat(observed.status()).isEqualTo(ThreadStatus.IDLE_COMPLETED);
        assertThat(observed.usage().turns()).isEqualTo(2);
    }

    @Test
    void aFollowUpAfterAFailedTurnRuns() {
        t3("0.0.32");
        StartWork work = started(AgentScript.error("simulated tool crash"));
        t3.onTurnStart(work.threadId(), AgentScript.neverFinish());
        await(executor.sendMessage(work.threadId(), id("turn"), id("msg"), "Try again."));
        assertThat(observe(work.threadId()).status()).isEqualTo(ThreadStatus.RUNNING);
    }

    @Test
    void aCommandT3AlreadyAppliedUnderAnotherIdIsASuccess() {
        t3("0.0.32");
        StartWork work = started(AgentScript.complete());
        // A re-minted create for the same thread: T3 refuses it opaquely, the read model shows it exists.
        StartWork again = new StartWork(work.projectId(), work.threadId(), id("create"), work.turnCommandId(),
                work.messageId(), work.title(), work.model(), work.branch(), work.worktreePath(), work.prompt());
        await(executor.startWork(again));

        assertThat(t3.executed(again.createCommandId())).isZero();
        assertThat(t3.executed(work.turnCommandId())).isEqualTo(1);
        assertThat(registry.counter("afk.executor.t3.calls", "operation", "thread.create", "outcome", "already-applied")
                .count()).isGreaterThanOrEqualTo(1);
    }

    @Test
    void aBusinessRuleFailureIsAFailure() {
        t3("0.0.32");
        StartWork orphan = work("no-such-project");
        assertThatThrownBy(() -> await(executor.startWork(orphan)))
                .isInstanceOfSatisfying(ExecutorException.class, e -> {
                    assertThat(e.reason()).isEqualTo(ExecutorException.Reason.FAILED);
                    assertThat(e.retryable()).isFalse();
                });
    }

    @Test
    void aCommandT3CannotParseIsSchemaDrift() {
        t3("0.0.32");
        StartWork untitled = new StartWork(project(), id("thread"), id("create"), id("turn"), id("msg"), null,
                null, null, null, "prompt");
        assertThatThrownBy(() -> await(executor.startWork(untitled)))
                .isInstanceOfSatisfying(ExecutorException.class,
                        e -> assertThat(e.reason()).isEqualTo(ExecutorException.Reason.CONTRACT_DRIFT));
        assertThat(registry.counter("afk.executor.t3.calls", "operation", "thread.create", "outcome", "contract-drift")
                .count()).isGreaterThanOrEqualTo(1);
    }

    @Test
    void errorAnswersMapToReasons() {
        t3("0.0.32");
        String threadId = started(AgentScript.complete()).threadId();

        t3.failNext(1, 400, "invalid_command");
        assertReason(() -> await(executor.sendMessage(threadId, id("turn"), id("msg"), "x")), ExecutorException.Reason.REJECTED);
        t3.failNext(1, 400, null);
        assertReason(() -> await(executor.sendMessage(threadId, id("turn"), id("msg"), "x")),
                ExecutorException.Reason.CONTRACT_DRIFT);
        t3.failNext(1, 500, null);
        assertReason(() -> await(executor.sendMessage(threadId, id("turn"), id("msg"), "x")),
                ExecutorException.Reason.CONTRACT_DRIFT);
    }

    @Test
    void aTokenWithoutTheOperateScopeIsUnauthorised() {
        t3("0.0.32");
        String threadId = started(AgentScript.complete()).threadId();
        dev.afk.controlplane.fakes.t3.FakeT3Resource.writeToken(t3.issueToken("orchestration:read"));

        assertThat(observe(threadId).status()).isEqualTo(ThreadStatus.IDLE_COMPLETED);
        assertThatThrownBy(() -> await(executor.sendMessage(threadId, id("turn"), id("msg"), "x")))
                .isInstanceOfSatisfying(ExecutorException.class, e -> {
                    assertThat(e.reason()).isEqualTo(ExecutorException.Reason.UNAUTHORISED);
                    assertThat(e.getMessage()).contains("orchestration:operate");
                });
    }

    @Test
    void theDeepLinkPointsAtThisExecutorsUi() {
        assertThat(executor.deepLink("7d2a9f10-0c1d-4e2f-8a3b-4c5d6e7f8091"))
                .isEqualTo(URI.create("https://t3.example.test/ui/7d2a9f10-0c1d-4e2f-8a3b-4c5d6e7f8091"));
    }

    private static void assertReason(Runnable call, ExecutorException.Reason reason) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(ExecutorException.class,
                e -> assertThat(e.reason()).isEqualTo(reason));
    }
}
