package dev.afk.controlplane.afk.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.afk.controlplane.afk.dispatch.PollProblems;
import dev.afk.controlplane.afk.dispatch.PollProblems.PollProblem;
import dev.afk.controlplane.afk.dispatch.ReleaseStore.Refusal;
import dev.afk.controlplane.afk.repos.Caps;
import dev.afk.controlplane.afk.repos.Landing;
import dev.afk.controlplane.afk.repos.Repo;
import dev.afk.controlplane.afk.repos.RepoLabels;
import dev.afk.controlplane.ci.CiVerdicts.Deployment;
import dev.afk.controlplane.ci.CiVerdicts.Stage;
import java.time.Instant;
import java.util.List;

/** An enrolled repository as operators see it. */
public record RepoView(
        String repo,
        String defaultBranch,
        String cloneUrl,
        RepoLabels labels,
        List<Stage> ciStages,
        List<String> requiredChecks,
        List<Deployment> deployments,
        String imageTemplate,
        String executorModel,
        Caps caps,
        Landing landing,
        boolean paused,
        boolean frozen,
        String frozenByRun,
        Instant frozenAt,
        String workflowError,
        PollProblem pollProblem,
        String enrolledBy,
        Instant enrolledAt,
        // Ready issues whose release dispatch refuses, and why; only in the single repository's view.
        @JsonInclude(JsonInclude.Include.NON_NULL) List<Refusal> refusedReleases) {

    /** With why polling it last failed ({@code pollProblem}, null while it works), as this replica saw it. */
    static RepoView of(Repo r, PollProblems problems) {
        return of(r, problems, null);
    }

    static RepoView of(Repo r, PollProblems problems, List<Refusal> refusedReleases) {
        return new RepoView(r.slug().toString(), r.defaultBranch(), r.cloneUrl(), r.labels(), r.ciStages(), r.requiredChecks(),
                r.deployments(), r.imageTemplate(), r.executorModel(), r.caps(), r.landing(), r.paused(), r.frozen(), r.frozenByRun() == null ? null : r.frozenByRun().toString(),
                r.frozenAt(), r.workflowError(), problems.of(r.slug()).orElse(null), r.enrolledBy(), r.enrolledAt(),
                refusedReleases);
    }
}
