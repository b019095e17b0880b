package dev.afk.controlplane.afk.api;

import dev.afk.controlplane.afk.api.Enrollment.DeploymentRef;
import dev.afk.controlplane.afk.api.Enrollment.LabelNames;
import dev.afk.controlplane.afk.api.Enrollment.LandingSetting;
import dev.afk.controlplane.afk.repos.Caps;
import dev.afk.controlplane.ci.CiVerdicts.Stage;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.util.List;

/**
 * Body of an enrollment update: every field is optional, an absent one keeps its value. The
 * repository, its default branch and clone URL are its identity: to change them, un-enroll and
 * enroll again.
 */
public record RepoUpdate(
        @Valid LabelNames labels,
        @Size(min = 1, max = 3) List<Stage> ciStages,
        @Size(max = 50) List<@NotBlank @Size(max = 200) String> requiredChecks,
        @Size(max = 20) List<@Valid DeploymentRef> deployments,
        @Size(max = 300) String imageTemplate,
        @Size(max = 100) String executorModel,
        @Valid Caps caps,
        @Valid LandingSetting landing) {}
