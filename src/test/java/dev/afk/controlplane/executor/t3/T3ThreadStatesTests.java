package dev.afk.controlplane.executor.t3;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.afk.controlplane.executor.Executor.PendingRequest;
import dev.afk.controlplane.executor.Executor.ThreadObservation;
import dev.afk.controlplane.executor.Executor.ThreadStatus;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The state derivation on threads recorded from a real T3 0.0.27 (contracts/t3-v0.0.27/agent-turns). */
class T3ThreadStatesTests {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode recorded(String name) throws IOException {
        try (InputStream in = T3ThreadStatesTests.class.getResourceAsStream("/contracts/t3-v0.0.27/" + name)) {
            return JSON.readTree(in);
        }
    }

    private static ThreadObservation observe(String name) throws IOException {
        return T3ThreadStates.observe(T3ReadModel.thread(recorded("agent-turns/" + name)), null);
    }

    @Test
    void aCompletedTurnIsIdleWithItsUsage() throws IOException {
        ThreadObservation observed = observe("a-completed-commit-turn.json");
        assertThat(observed.status()).isEqualTo(ThreadStatus.IDLE_COMPLETED);
        assertThat(observed.usage().inputTokens()).isEqualTo(3600);
        assertThat(observed.usage().outputTokens()).isEqualTo(120);
        assertThat(observed.usage().turns()).isEqualTo(1);
        assertThat(observed.usage().costUsd()).isNull();
        assertThat(observed.lastProgressAt()).isEqualTo(Instant.parse("2026-11-24T09:43:20.983Z"));
    }

    @Test
    void aFailedTurnIsErroredWithTheSessionsError() throws IOException {
        ThreadObservation observed = observe("b-failed-turn.json");
        assertThat(observed.status()).isEqualTo(ThreadStatus.ERRORED);
        assertThat(observed.error()).isEqualTo("failure: simulated tool crash");
        assertThat(observed.usage().turns()).isEqualTo(3);
        assertThat(observed.usage().inputTokens()).isEqualTo(3600 + 1200 + 1200);
    }

    @Test
    void aRunningTurnIsRunningDespiteAStaleLastError() throws IOException {
        assertThat(observe("c-running-turn.json").status()).isEqualTo(ThreadStatus.RUNNING);
    }

    @Test
    void anInterruptEndingAsErrorIsInterruptedOnlyWhenWeAskedForIt() throws IOException {
        T3ReadModel.Thread thread = T3ReadModel.thread(recorded("agent-turns/d-after-interrupt.json"));
        assertThat(T3ThreadStates.observe(thread, null).status()).isEqualTo(ThreadStatus.ERRORED);
        assertThat(T3ThreadStates.observe(thread, Instant.parse("2026-11-24T09:43:55.000Z")).status())
                .isEqualTo(ThreadStatus.INTERRUPTED);
        // An interrupt asked for before this turn began says nothing about it.
        assertThat(T3ThreadStates.observe(thread, Instant.parse("2026-11-24T09:43:50.000Z")).status())
                .isEqualTo(ThreadStatus.ERRORED);
    }

    @Test
    void aPendingQuestionWaitsForInputWithItsQuestionIds() throws IOException {
        ThreadObservation observed = observe("e-question-pending.json");
        assertThat(observed.status()).isEqualTo(ThreadStatus.WAITING_FOR_INPUT);
        assertThat(observed.pending()).singleElement().satisfies(p -> {
            assertThat(p.kind()).isEqualTo(PendingRequest.Kind.QUESTION);
            assertThat(p.requestId()).isEqualTo("5e57b602-7e96-491e-b436-30aa301c71cc");
            assertThat(p.questionIds()).containsExactly("Which database should I use?");
            assertThat(p.text()).isEqualTo("Which database should I use? [Postgres | SQLite]");
        });
    }

    @Test
    void anAnsweredQuestionCompletesTheTurn() throws IOException {
        ThreadObservation observed = observe("f-after-answer.json");
        assertThat(observed.status()).isEqualTo(ThreadStatus.IDLE_COMPLETED);
        assertThat(observed.pending()).isEmpty();
    }

    @Test
    void resolvedApprovalsAreNotPending() throws IOException {
        ThreadObservation observed = observe("g-approval-required-after-approvals.json");
        assertThat(observed.status()).isEqualTo(ThreadStatus.IDLE_COMPLETED);
        assertThat(observed.pending()).isEmpty();
    }

    @Test
    void aTurnResumedAfterASessionStopCompletes() throws IOException {
        assertThat(observe("h-after-session-stop-and-resume.json").status()).isEqualTo(ThreadStatus.IDLE_COMPLETED);
    }

    @Test
    void anUnresolvedApprovalOnALiveSessionWaitsForApproval() throws IOException {
        ObjectNode thread = (ObjectNode) recorded("agent-turns/g-approval-required-after-approvals.json");
        var activities = thread.withArray("activities");
        for (int i = activities.size() - 1; i >= 0; i--) {
            if (activities.get(i).path("kind").asText().equals("approval.resolved")
                    && activities.get(i).path("payload").path("requestId").asText().startsWith("f1c1e935")) {
                activities.remove(i);
            }
        }
        // latestTurn may read completed while the session still runs, waiting on the approval.
        ((ObjectNode) thread.path("session")).put("status", "running");
        ThreadObservation observed = T3ThreadStates.observe(T3ReadModel.thread(thread), null);
        assertThat(observed.status()).isEqualTo(ThreadStatus.WAITING_FOR_APPROVAL);
        assertThat(observed.pending()).singleElement().satisfies(p -> {
            assertThat(p.kind()).isEqualTo(PendingRequest.Kind.APPROVAL);
            assertThat(p.text()).startsWith("command: Bash: git add");
        });
    }

    @Test
    void aTurnThatNeverStartedFailedToStart() throws IOException {
        JsonNode snapshot = recorded("21-snapshot-after-failed-turn.json").path("response_body");
        ThreadObservation observed = T3ThreadStates.observe(T3ReadModel.parse(snapshot).threads()
                .get("22222222-2222-4222-8222-222222222222"), null);
        assertThat(observed.status()).isEqualTo(ThreadStatus.FAILED_TO_START);
        assertThat(observed.error()).startsWith("ProviderAdapterSessionNotFoundError");
    }

    @Test
    void aTurnAskedForButNotYetReportedIsRunning() throws IOException {
        ObjectNode thread = (ObjectNode) recorded("agent-turns/a-completed-commit-turn.json");
        thread.withArray("messages").addObject().put("id", "m-next").put("role", "user").put("text", "again")
                .put("createdAt", "2026-11-24T09:50:00.000Z").put("updatedAt", "2026-11-24T09:50:00.000Z");
        thread.putNull("latestTurn");
        assertThat(T3ThreadStates.observe(T3ReadModel.thread(thread), null).status()).isEqualTo(ThreadStatus.RUNNING);
    }

    @Test
    void unknownEnumValuesAndDeletedOrMissingThreadsAreUnknown() throws IOException {
        ObjectNode thread = (ObjectNode) recorded("agent-turns/a-completed-commit-turn.json");
        ((ObjectNode) thread.path("latestTurn")).put("state", "settled-by-orchestrator-v2");
        thread.put("brandNewField", 42);
        assertThat(T3ThreadStates.observe(T3ReadModel.thread(thread), null).status()).isEqualTo(ThreadStatus.UNKNOWN);
        thread.put("deletedAt", "2026-11-24T10:00:00.000Z");
        assertThat(T3ThreadStates.observe(T3ReadModel.thread(thread), null).status()).isEqualTo(ThreadStatus.UNKNOWN);
        assertThat(T3ThreadStates.observe(null, null)).isEqualTo(ThreadObservation.unknown());
    }
}
