package dev.afk.controlplane.tracker;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * A pull request as the pipeline sees it: from branch {@code head}, whose newest commit is
 * {@code headSha}, in one of three states; {@code url} is where a human opens it;
 * {@code mergeCommitSha} is the base branch's commit that landed it, once merged.
 */
public record PullRequest(int number, String head, String headSha, State state, String url, String mergeCommitSha) {

    public enum State { OPEN, CLOSED, MERGED }

    /** How a merge lands on the base branch. */
    @RegisterForReflection
    public enum MergeMethod {
        @JsonProperty("merge") MERGE,
        @JsonProperty("squash") SQUASH,
        @JsonProperty("rebase") REBASE
    }

    /** What a merge attempt came to; {@code sha} is the base branch's new commit when merged. */
    public record MergeResult(Outcome outcome, String sha, String reason) {

        public enum Outcome {
            MERGED,
            /** The forge refused: closed, a conflict, or required checks not yet green ({@code reason} says which). */
            NOT_MERGEABLE,
            /** The head moved since it was judged: judge the new head first. */
            HEAD_MOVED
        }
    }
}
