package dev.afk.controlplane.afk.runs;

import dev.afk.controlplane.ci.CiVerdicts.Check;
import dev.afk.controlplane.common.RepoSlug;
import dev.afk.controlplane.common.RunId;
import io.smallrye.mutiny.Uni;
import java.util.List;

/**
 * A diagnosis of a red commit for the fix-forward prompt: the pipeline asks, and goes on without
 * one when none comes. Implementations never fail and answer within their own deadline.
 */
public interface FailureDiagnosis {

    Uni<Result> diagnose(RepoSlug repo, RunId runId, String sha, List<Check> failing);

    /**
     * @param summary the condensed diagnosis, or null when there is none
     * @param note    what happened, for the run's timeline
     */
    record Result(String summary, String note) {

        public static Result none(String note) {
            return new Result(null, note);
        }
    }
}
