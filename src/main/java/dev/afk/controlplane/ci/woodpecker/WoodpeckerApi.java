package dev.afk.controlplane.ci.woodpecker;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;

/** The parts of Woodpecker's repository and pipeline models that a verdict needs. */
final class WoodpeckerApi {

    private WoodpeckerApi() {}

    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Repo(long id, @JsonProperty("full_name") String fullName, @JsonProperty("default_branch") String defaultBranch) {}

    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Pipeline(long id, long number, String commit, String branch, String event, String status,
            List<Workflow> workflows, List<PipelineError> errors) {}

    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Workflow(String name, String state, String error, List<Step> children) {}

    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Step(String name, String state, String error, @JsonProperty("exit_code") Integer exitCode) {}

    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    record PipelineError(String message, @JsonProperty("is_warning") boolean warning) {}
}
