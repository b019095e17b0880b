package dev.afk.controlplane.ci.githubactions;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;

/** The parts of GitHub's check runs, commit statuses and workflow runs that a verdict needs. */
final class GitHubChecks {

    private GitHubChecks() {}

    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    record CheckRun(long id, String name, String status, String conclusion,
            @JsonProperty("html_url") String htmlUrl, @JsonProperty("details_url") String detailsUrl,
            @JsonProperty("check_suite") Suite checkSuite, Output output) {

        @RegisterForReflection
        @JsonIgnoreProperties(ignoreUnknown = true)
        record Suite(long id) {}

        /** What the check reported about itself: what an agent without GitHub access reads of a failure. */
        @RegisterForReflection
        @JsonIgnoreProperties(ignoreUnknown = true)
        record Output(String title, String summary) {}
    }

    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    record CheckRunPage(@JsonProperty("total_count") int totalCount, @JsonProperty("check_runs") List<CheckRun> checkRuns) {}

    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    record CommitStatus(String context, String state, String description, @JsonProperty("target_url") String targetUrl) {}

    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    record CombinedStatus(String state, @JsonProperty("total_count") int totalCount, List<CommitStatus> statuses) {}

    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    record WorkflowRun(long id, String name, @JsonProperty("display_title") String displayTitle, String status,
            String conclusion, @JsonProperty("html_url") String htmlUrl, @JsonProperty("check_suite_id") Long checkSuiteId) {}

    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    record WorkflowRunPage(@JsonProperty("total_count") int totalCount, @JsonProperty("workflow_runs") List<WorkflowRun> workflowRuns) {}
}
