package dev.afk.controlplane.afk.runs;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import dev.afk.controlplane.ci.CiVerdicts.Check;
import dev.afk.controlplane.executor.Executor.PendingRequest;
import dev.afk.controlplane.notify.Doorbell;
import dev.afk.controlplane.tracker.PullRequest;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;
import java.util.Set;

/**
 * Something a transition asks the world to do. Effects are stored with the transition that caused
 * them, performed in order, each idempotent, and marked done one by one.
 */
@RegisterForReflection
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = Effect.PrepareWorktree.class, name = "prepare-worktree"),
        @JsonSubTypes.Type(value = Effect.StartWork.class, name = "start-work"),
        @JsonSubTypes.Type(value = Effect.SendFixForward.class, name = "send-fix-forward"),
        @JsonSubTypes.Type(value = Effect.RelayAnswer.class, name = "relay-answer"),
        @JsonSubTypes.Type(value = Effect.AskOperator.class, name = "ask-operator"),
        @JsonSubTypes.Type(value = Effect.Interrupt.class, name = "interrupt"),
        @JsonSubTypes.Type(value = Effect.AddLabels.class, name = "add-labels"),
        @JsonSubTypes.Type(value = Effect.RemoveLabel.class, name = "remove-label"),
        @JsonSubTypes.Type(value = Effect.CloseIssue.class, name = "close-issue"),
        @JsonSubTypes.Type(value = Effect.UpdateChecklist.class, name = "update-checklist"),
        @JsonSubTypes.Type(value = Effect.Ring.class, name = "ring"),
        @JsonSubTypes.Type(value = Effect.ReleaseWorktree.class, name = "release-worktree"),
        @JsonSubTypes.Type(value = Effect.FreezeRepo.class, name = "freeze-repo"),
        @JsonSubTypes.Type(value = Effect.OpenPullRequest.class, name = "open-pull-request"),
        @JsonSubTypes.Type(value = Effect.MergePullRequest.class, name = "merge-pull-request"),
        @JsonSubTypes.Type(value = Effect.ResolveMergeRefusal.class, name = "resolve-merge-refusal"),
})
public sealed interface Effect {

    /** Fetch and add the run's worktree off the default branch. */
    @RegisterForReflection
    record PrepareWorktree() implements Effect {}

    /** Ensure the repository's project, create the thread in the worktree, start the first turn. */
    @RegisterForReflection
    record StartWork() implements Effect {}

    /** A corrective turn on the run's thread with the failing checks of {@code sha}. */
    @RegisterForReflection
    record SendFixForward(int attempt, String sha, List<Check> failing) implements Effect {}

    /** An operator's answer to the agent's pending question or approval. */
    @RegisterForReflection
    record RelayAnswer(PendingRequest request, String answer) implements Effect {}

    /** Put the agent's pending question or approval in the operator queue of the run's agent. */
    @RegisterForReflection
    record AskOperator(PendingRequest request) implements Effect {}

    /** Stop the agent's running turn; {@code purpose} keeps the command id distinct per transition. */
    @RegisterForReflection
    record Interrupt(String purpose) implements Effect {}

    @RegisterForReflection
    record AddLabels(Set<String> labels) implements Effect {}

    @RegisterForReflection
    record RemoveLabel(String label) implements Effect {}

    @RegisterForReflection
    record CloseIssue() implements Effect {}

    /** Render the checklist from the run as it is when performed, and edit the comment in place. */
    @RegisterForReflection
    record UpdateChecklist() implements Effect {}

    @RegisterForReflection
    record Ring(Doorbell.Kind kind, String dedupKey, String title, String message) implements Effect {}

    /** Remove the worktree, or keep it for forensics. */
    @RegisterForReflection
    record ReleaseWorktree(boolean keep) implements Effect {}

    /** Hold the repository: no dispatch until an admin unfreezes it. */
    @RegisterForReflection
    record FreezeRepo() implements Effect {}

    /** Open the pull request from the run's branch, or find the one already open (pull-request landing). */
    @RegisterForReflection
    record OpenPullRequest() implements Effect {}

    /**
     * Merge pull request {@code number} if its head is still {@code sha}. A refusal is recorded on
     * the timeline, not failed: the next observation sees the pull request still open and decides.
     */
    @RegisterForReflection
    record MergePullRequest(int number, String sha, PullRequest.MergeMethod method) implements Effect {}

    /** A corrective turn after the forge refused to merge pull request {@code number} (a conflict, most often). */
    @RegisterForReflection
    record ResolveMergeRefusal(int attempt, int number) implements Effect {}
}
