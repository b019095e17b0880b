package dev.afk.controlplane.afk.api;

import com.fasterxml.jackson.annotation.JsonIgnore;
import dev.afk.controlplane.afk.repos.Caps;
import dev.afk.controlplane.afk.repos.Landing;
import dev.afk.controlplane.ci.CiVerdicts.Deployment;
import dev.afk.controlplane.ci.CiVerdicts.Stage;
import dev.afk.controlplane.tracker.PullRequest.MergeMethod;
import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;

/** Body of an enrollment; everything but the repository, its branch and its clone URL has a default. */
public record Enrollment(
        @NotBlank @Size(max = 201) String repo,
        @NotBlank @Size(max = 255) @Pattern(regexp = "[A-Za-z0-9._/-]+", message = "must be a plain branch name") String defaultBranch,
        @NotBlank @Size(max = 500) @Pattern(regexp = "(https|ssh|file)://\\S+|/\\S+",
                message = "must be an https:// or ssh:// URL (or, where local repositories are allowed, a file:// URL or an absolute path)")
        String cloneUrl,
        @Valid LabelNames labels,
        @Size(max = 3) List<@NotNull Stage> ciStages,
        @Size(max = 50) List<@NotBlank @Size(max = 200) String> requiredChecks,
        @Size(max = 20) List<@NotNull @Valid DeploymentRef> deployments,
        @Size(max = 300) String imageTemplate,
        @Size(max = 100) String executorModel,
        @Valid Caps caps,
        @Valid LandingSetting landing) {

    public record LabelNames(@Size(min = 1, max = 50) String ready, @Size(min = 1, max = 50) String inProgress,
            @Size(min = 1, max = 50) String human) {}

    /** {@code {"mode": "push"}} or {@code {"mode": "pull-request", "mergeMethod": "merge|squash|rebase"}}. */
    public record LandingSetting(@NotNull Landing.Mode mode, MergeMethod mergeMethod) {

        @JsonIgnore
        @AssertTrue(message = "mergeMethod belongs to the pull-request mode only")
        public boolean isMergeMethodOnlyForPullRequests() {
            return mode != Landing.Mode.PUSH || mergeMethod == null;
        }

        Landing toLanding() {
            return new Landing(mode, mergeMethod);
        }
    }

    public record DeploymentRef(@NotBlank @Size(max = 63) String namespace, @NotBlank @Size(max = 253) String name) {
        Deployment toDeployment() {
            return new Deployment(namespace, name);
        }
    }
}
