package dev.afk.controlplane.executor;

import dev.afk.controlplane.common.RepoSlug;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.smallrye.mutiny.Uni;
import java.net.URI;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where agents run. The pipeline never runs an agent itself: it hands work to an executor and
 * observes it. Every id (thread, message, command) is minted and stored by the caller before it
 * is sent, so a retried call with the same ids is a no-op on the executor's side.
 */
public interface Executor {

    /** Makes sure a project exists for the repository, rooted at its persistent checkout. */
    Uni<String> ensureProject(RepoSlug repo, String workspaceRoot);

    /** Creates the run's thread in its worktree and starts the first turn with the prompt. */
    Uni<Void> startWork(StartWork work);

    /** A follow-up turn on an existing thread (e.g. fix-forward). */
    Uni<Void> sendMessage(String threadId, String commandId, String messageId, String text);

    /** The state of many threads in one read; threads the executor does not know map to UNKNOWN. */
    Uni<Map<String, ThreadObservation>> observe(Collection<String> threadIds);

    /** Answers a pending question (free text) or approval ({@code accept}/{@code decline}). */
    Uni<Void> answer(String threadId, String commandId, PendingRequest request, String answer);

    /** Interrupts the thread's running turn. */
    Uni<Void> interrupt(String threadId, String commandId);

    /** Stops the thread's agent session. */
    Uni<Void> stopSession(String threadId, String commandId);

    /** Where a human opens the thread in the executor's own UI. */
    URI deepLink(String threadId);

    /**
     * Why no new work may be handed to this executor now (for instance it speaks a protocol
     * version nobody verified), or empty when it may. Work already handed over is unaffected.
     */
    default Uni<Optional<String>> dispatchHold() {
        return Uni.createFrom().item(Optional.empty());
    }

    /** The questions and approvals the thread waits on now (empty when none or unknown). */
    default Uni<List<PendingRequest>> pending(String threadId) {
        return observe(List.of(threadId))
                .map(observations -> observations.getOrDefault(threadId, ThreadObservation.unknown()).pending());
    }

    /** Everything needed to create a thread and start its first turn, ids included. */
    record StartWork(
            String projectId,
            String threadId,
            String createCommandId,
            String turnCommandId,
            String messageId,
            String title,
            String model,
            String branch,
            String worktreePath,
            String prompt) {}

    enum ThreadStatus {
        RUNNING,
        IDLE_COMPLETED,
        ERRORED,
        INTERRUPTED,
        FAILED_TO_START,
        WAITING_FOR_INPUT,
        WAITING_FOR_APPROVAL,
        UNKNOWN
    }

    /** A question or approval the agent is waiting on. */
    @RegisterForReflection
    record PendingRequest(String requestId, Kind kind, String text, List<String> questionIds) {
        @RegisterForReflection
        public enum Kind { QUESTION, APPROVAL }
    }

    /** Usage as far as the executor reports it; null fields are unknown. */
    record Usage(Long inputTokens, Long outputTokens, Double costUsd, Integer turns) {
        public static final Usage UNKNOWN = new Usage(null, null, null, null);
    }

    /**
     * One thread as observed now. {@code lastProgressAt} moves whenever the executor shows progress
     * (a message, an activity, a turn change): the pipeline's stall detection reads it.
     */
    record ThreadObservation(
            ThreadStatus status,
            List<PendingRequest> pending,
            Usage usage,
            java.time.Instant lastProgressAt,
            String error) {

        public static ThreadObservation unknown() {
            return new ThreadObservation(ThreadStatus.UNKNOWN, List.of(), Usage.UNKNOWN, null, null);
        }
    }
}
