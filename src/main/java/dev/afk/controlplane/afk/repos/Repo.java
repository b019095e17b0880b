package dev.afk.controlplane.afk.repos;

import dev.afk.controlplane.ci.CiVerdicts.Deployment;
import dev.afk.controlplane.ci.CiVerdicts.Stage;
import dev.afk.controlplane.common.RepoSlug;
import dev.afk.controlplane.common.RunId;
import java.time.Instant;
import java.util.List;

/** An enrolled repository and how the pipeline treats it. */
public record Repo(
        RepoSlug slug,
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
        RunId frozenByRun,
        Instant frozenAt,
        String workflowError,
        String enrolledBy,
        Instant enrolledAt,
        Instant updatedAt) {

    public boolean frozen() {
        return frozenByRun != null;
    }
}
