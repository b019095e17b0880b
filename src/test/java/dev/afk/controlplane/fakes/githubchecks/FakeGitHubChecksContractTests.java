package dev.afk.controlplane.fakes.githubchecks;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.afk.controlplane.fakes.ContractSchemas;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** Every answer of the fake GitHub conforms to the published GitHub REST description. */
class FakeGitHubChecksContractTests {

    private static final FakeGitHubChecks GITHUB = new FakeGitHubChecks();
    private static final ContractSchemas CONTRACT = FakeGitHubChecks.contract();
    private static final String SHA = "009b8a3a9ccbb128af87f9b1c0f4c62e8a304f6d";

    @AfterAll
    static void stop() {
        GITHUB.stop();
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(GITHUB.url() + path))
                .header("Authorization", "Bearer " + FakeGitHubChecks.TOKEN).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode response200(String operationPath) {
        return CONTRACT.schema("/paths/" + operationPath.replace("~", "~0").replace("/", "~1")
                + "/get/responses/200/content/application~1json/schema");
    }

    @Test
    void checkRunsConform() throws Exception {
        GITHUB.addCheckRun("acme/web", SHA, "build", "completed", "success", 1);
        GITHUB.addCheckRun("acme/web", SHA, "test", "in_progress", null, 1);

        HttpResponse<String> response = get("/repos/acme/web/commits/" + SHA + "/check-runs?per_page=100");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(CONTRACT.violations(response200("/repos/{owner}/{repo}/commits/{ref}/check-runs"), response.body())).isEmpty();
    }

    @Test
    void combinedStatusConforms() throws Exception {
        GITHUB.addStatus("acme/web", SHA, "ci/woodpecker", "pending", "deploying");

        HttpResponse<String> response = get("/repos/acme/web/commits/" + SHA + "/status");

        assertThat(CONTRACT.violations(response200("/repos/{owner}/{repo}/commits/{ref}/status"), response.body())).isEmpty();
    }

    @Test
    void workflowRunsConform() throws Exception {
        GITHUB.addWorkflowRun("acme/web", SHA, "CI", "completed", "action_required", 3);

        HttpResponse<String> response = get("/repos/acme/web/actions/runs?head_sha=" + SHA);

        assertThat(CONTRACT.violations(response200("/repos/{owner}/{repo}/actions/runs"), response.body())).isEmpty();
    }

    @Test
    void theCheckerCatchesAWrongShape() {
        JsonNode checkRun = CONTRACT.schema("/components/schemas/check-run");
        assertThat(CONTRACT.violations(checkRun, "{\"id\": \"not a number\", \"conclusion\": \"great\"}"))
                .anyMatch(v -> v.contains("misses required head_sha"))
                .anyMatch(v -> v.contains("$.id should be integer"))
                .anyMatch(v -> v.contains("is not one of"));
    }

    @Test
    void withoutTokenIs401() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(GITHUB.url() + "/repos/acme/web/commits/" + SHA + "/status")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(401);
    }
}
