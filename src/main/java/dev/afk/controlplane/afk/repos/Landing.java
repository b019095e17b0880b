package dev.afk.controlplane.afk.repos;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.afk.controlplane.common.RunId;
import dev.afk.controlplane.tracker.PullRequest.MergeMethod;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * How a run's work reaches the default branch: pushed there by the agent ({@code push}), or pushed
 * to the run's own branch and merged by the pipeline as a pull request ({@code pull-request}) once
 * its head is green, for repositories whose branch protection forbids direct pushes.
 *
 * @param mergeMethod how the pull request lands; only with {@code pull-request}
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Landing(Mode mode, MergeMethod mergeMethod) {

    public static final Landing PUSH = new Landing(Mode.PUSH, null);

    @RegisterForReflection
    public enum Mode {
        @JsonProperty("push") PUSH,
        @JsonProperty("pull-request") PULL_REQUEST;

        /** The spelling of the API and the database. */
        public String wire() {
            return this == PUSH ? "push" : "pull-request";
        }

        public static Mode ofWire(String text) {
            return "pull-request".equals(text) ? PULL_REQUEST : PUSH;
        }
    }

    public Landing {
        if (mode == null) {
            throw new IllegalArgumentException("a landing needs a mode");
        }
        if (mode == Mode.PUSH && mergeMethod != null) {
            throw new IllegalArgumentException("a merge method belongs to the pull-request landing only");
        }
        if (mode == Mode.PULL_REQUEST && mergeMethod == null) {
            mergeMethod = MergeMethod.MERGE;
        }
    }

    /**
     * The branch a pull-request run pushes: {@code afk/<issue>-<first 8 characters of the run id>},
     * readable in the forge and the same name as the run's worktree branch. Known before the run
     * has a worktree, so the prompt can name it.
     */
    public static String branch(int issue, RunId runId) {
        return "afk/" + issue + "-" + runId.toString().substring(0, 8);
    }

    public boolean byPullRequest() {
        return mode == Mode.PULL_REQUEST;
    }

    @Override
    public String toString() {
        return byPullRequest() ? mode.wire() + "(" + mergeMethod.name().toLowerCase(java.util.Locale.ROOT) + ")" : mode.wire();
    }
}
