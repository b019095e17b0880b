package dev.afk.controlplane.fakes.woodpecker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.afk.controlplane.fakes.ContractSchemas;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The fake Woodpecker answers what the published Woodpecker API describes. */
class FakeWoodpeckerContractTests {

    private static final FakeWoodpecker WOODPECKER = new FakeWoodpecker();
    private static final ContractSchemas CONTRACT = FakeWoodpecker.contract();

    @AfterAll
    static void stop() {
        WOODPECKER.stop();
    }

    private static HttpResponse<String> get(String path, boolean withToken) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(WOODPECKER.url() + path));
        if (withToken) {
            request.header("Authorization", "Bearer " + FakeWoodpecker.TOKEN);
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void repositoryLookupConforms() throws Exception {
        WOODPECKER.addRepo("acme/web", "main");

        HttpResponse<String> response = get("/api/repos/lookup/acme/web", true);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(CONTRACT.violations(CONTRACT.schema("/paths/~1repos~1lookup~1{repo_full_name}/get/responses/200/schema"),
                response.body())).isEmpty();
    }

    @Test
    void pipelineListConformsIncludingWorkflowsAndSteps() throws Exception {
        long id = WOODPECKER.addRepo("acme/api", "main");
        WOODPECKER.addPipeline(id, "abc", "main", "failure", "rollout");
        WOODPECKER.addPipeline(id, "def", "main", "blocked");

        HttpResponse<String> response = get("/api/repos/" + id + "/pipelines?branch=main&page=1&perPage=50", true);

        assertThat(CONTRACT.violations(CONTRACT.schema("/paths/~1repos~1{repo_id}~1pipelines/get/responses/200/schema"),
                response.body())).isEmpty();
        assertThat(response.body()).contains("\"number\":2").contains("\"status\":\"blocked\"");
    }

    @Test
    void onePipelineConformsAndAStepsLogDownloadsAsPlainTextOnlyFromItsPipeline() throws Exception {
        long id = WOODPECKER.addRepo("acme/logs", "main");
        long number = WOODPECKER.addPipeline(id, "abc", "main", "failure", "test");
        long other = WOODPECKER.addPipeline(id, "def", "main", "failure", "test");
        WOODPECKER.stepLog(id, number, "test", "line one\nFAILED");

        HttpResponse<String> pipeline = get("/api/repos/" + id + "/pipelines/" + number, true);
        assertThat(CONTRACT.violations(CONTRACT.schema("/paths/~1repos~1{repo_id}~1pipelines~1{pipeline_number}/get/responses/200/schema"),
                pipeline.body())).isEmpty();
        long stepId = new com.fasterxml.jackson.databind.ObjectMapper().readTree(pipeline.body())
                .get("workflows").get(0).get("children").get(1).get("id").asLong();

        HttpResponse<String> log = get("/api/repos/" + id + "/logs/" + number + "/" + stepId + "/download", true);
        assertThat(log.statusCode()).isEqualTo(200);
        assertThat(log.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/plain"));
        assertThat(log.body()).isEqualTo("line one\nFAILED");
        assertThat(get("/api/repos/" + id + "/logs/" + other + "/" + stepId + "/download", true).statusCode()).isEqualTo(404);
        assertThat(get("/api/repos/" + id + "/logs/" + number + "/" + stepId + "/download", false).statusCode()).isEqualTo(401);
    }

    @Test
    void theCheckerCatchesAStatusOutsideTheContract() {
        assertThat(CONTRACT.violations(CONTRACT.schema("/definitions/Pipeline"), "{\"status\": \"green\", \"number\": \"1\"}"))
                .hasSize(2);
    }

    @Test
    void unknownRepositoryIs404AndNoTokenIs401() throws Exception {
        assertThat(get("/api/repos/lookup/acme/none", true).statusCode()).isEqualTo(404);
        assertThat(get("/api/repos/lookup/acme/web", false).statusCode()).isEqualTo(401);
    }
}
