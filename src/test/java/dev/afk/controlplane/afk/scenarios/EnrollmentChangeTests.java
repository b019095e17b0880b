package dev.afk.controlplane.afk.scenarios;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.afk.controlplane.common.RepoSlug;
import dev.afk.controlplane.support.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Operators fix an enrollment: change its settings, or remove it, audited like the kill switch. */
@QuarkusTest
class EnrollmentChangeTests extends PipelineScenario {

    @Test
    void anAdminChangesTheSettingsAndTheChangeIsAudited() {
        RepoSlug repo = enroll("update");
        String patch = """
                {"ciStages": ["GITHUB_ACTIONS"], "deployments": [], "caps": {"maxFixForwardAttempts": 2},
                 "labels": {"ready": "afk-go"}}""";

        given().header("Authorization", Tokens.operator()).contentType(ContentType.JSON).body(patch)
                .patch("/api/afk/repos/" + repo).then().statusCode(403);
        given().header("Authorization", Tokens.admin()).contentType(ContentType.JSON).body("{\"ciStages\": [\"JENKINS\"]}")
                .patch("/api/afk/repos/" + repo).then().statusCode(400).contentType("application/problem+json");
        given().header("Authorization", Tokens.admin()).contentType(ContentType.JSON).body(patch)
                .patch("/api/afk/repos/acme/never-enrolled").then().statusCode(404).contentType("application/problem+json");
        JsonPath unchanged = repoView(repo);
        assertThat(unchanged.getList("ciStages")).containsExactly("GITHUB_ACTIONS", "ROLLOUT");

        JsonPath updated = given().header("Authorization", Tokens.admin()).contentType(ContentType.JSON).body(patch)
                .patch("/api/afk/repos/" + repo).then().statusCode(200).extract().jsonPath();
        assertThat(updated.getList("ciStages")).containsExactly("GITHUB_ACTIONS");
        assertThat(updated.getList("deployments")).isEmpty();
        assertThat(updated.getInt("caps.maxFixForwardAttempts")).isEqualTo(2);
        assertThat(updated.getString("labels.ready")).isEqualTo("afk-go");
        assertThat(updated.getString("labels.human")).isEqualTo("ready-for-human");
        assertThat(updated.getString("cloneUrl")).isEqualTo(repoView(repo).getString("cloneUrl"));

        // The new ready label is the one that releases issues now.
        tracker.issue(repo, 1, "Issue 1").label("afk-go", "alice");
        ticks(2);
        assertThat(state(repo)).isEqualTo("WORKING");

        JsonPath history = history(repo);
        assertThat(history.getList("action")).containsExactly("update", "enroll");
        assertThat(history.getList("changedBy")).doesNotContainNull();
        assertThat(history.getString("[0].detail")).contains("maxFixForwardAttempts=2");
    }

    @Test
    void theLandingModeIsEnrolledChangedValidatedAndShown() {
        RepoSlug repo = enroll("landing");
        assertThat(repoView(repo).getMap("landing")).as("push is the default").isEqualTo(java.util.Map.of("mode", "push"));

        for (String bad : List.of("{\"landing\": {\"mode\": \"ship-it\"}}", "{\"landing\": {}}",
                "{\"landing\": {\"mode\": \"pull-request\", \"mergeMethod\": \"octopus\"}}",
                "{\"landing\": {\"mode\": \"push\", \"mergeMethod\": \"squash\"}}", "{\"landing\": \"pull-request\"}")) {
            given().header("Authorization", Tokens.admin()).contentType(ContentType.JSON).body(bad)
                    .patch("/api/afk/repos/" + repo).then().statusCode(400).contentType("application/problem+json");
        }
        given().header("Authorization", Tokens.operator()).contentType(ContentType.JSON)
                .body("{\"landing\": {\"mode\": \"pull-request\"}}").patch("/api/afk/repos/" + repo).then().statusCode(403);
        assertThat(repoView(repo).getMap("landing")).isEqualTo(java.util.Map.of("mode", "push"));

        JsonPath byPullRequest = given().header("Authorization", Tokens.admin()).contentType(ContentType.JSON)
                .body("{\"landing\": {\"mode\": \"pull-request\"}}").patch("/api/afk/repos/" + repo)
                .then().statusCode(200).extract().jsonPath();
        assertThat(byPullRequest.getMap("landing")).as("merge is the default method")
                .isEqualTo(java.util.Map.of("mode", "pull-request", "mergeMethod", "merge"));
        given().header("Authorization", Tokens.admin()).contentType(ContentType.JSON).body("{\"caps\": {\"maxTurns\": 9}}")
                .patch("/api/afk/repos/" + repo).then().statusCode(200).body("landing.mode", equalTo("pull-request"));
        assertThat(history(repo).getString("[0].detail")).contains("landing=pull-request(merge)");
        assertThat(given().header("Authorization", Tokens.viewer()).get("/api/afk/dispatch/dry-run").then().statusCode(200)
                .extract().jsonPath().getString("find { it.repo == '" + repo + "' }.landing.mode"))
                .as("the dry run says how a dispatch would land").isEqualTo("pull-request");

        RepoSlug squash = RepoSlug.parse("scenario/landing-squash-" + System.nanoTime() % 100000);
        String enrollment = """
                {"repo": "%s", "defaultBranch": "main", "cloneUrl": "https://git.example/%s.git",
                 "landing": {"mode": "pull-request", "mergeMethod": "%s"}}""";
        given().header("Authorization", Tokens.admin()).contentType(ContentType.JSON)
                .body(enrollment.formatted(squash, squash, "fast-forward")).post("/api/afk/repos")
                .then().statusCode(400).contentType("application/problem+json");
        given().header("Authorization", Tokens.viewer()).get("/api/afk/repos/" + squash).then().statusCode(404);
        given().header("Authorization", Tokens.admin()).contentType(ContentType.JSON)
                .body(enrollment.formatted(squash, squash, "squash")).post("/api/afk/repos")
                .then().statusCode(201).body("landing.mode", equalTo("pull-request")).body("landing.mergeMethod", equalTo("squash"));
        assertThat(given().header("Authorization", Tokens.viewer()).get("/api/afk/repos").then().statusCode(200).extract()
                .jsonPath().getString("find { it.repo == '" + squash + "' }.landing.mergeMethod")).isEqualTo("squash");

        given().header("Authorization", Tokens.admin()).contentType(ContentType.JSON).body("{\"landing\": {\"mode\": \"push\"}}")
                .patch("/api/afk/repos/" + squash).then().statusCode(200).body("landing.mergeMethod", org.hamcrest.Matchers.nullValue());
    }

    @Test
    void unEnrollingIsRefusedWhileARunIsOpenAndKeepsTheRecord() {
        RepoSlug repo = enroll("unenroll");
        working(repo, 1);
        String runId = run(repo).getString("run.id");

        given().header("Authorization", Tokens.admin()).delete("/api/afk/repos/" + repo).then().statusCode(409)
                .contentType("application/problem+json").body("type", org.hamcrest.Matchers.containsString("repo-has-open-run"));
        given().header("Authorization", Tokens.admin()).contentType(ContentType.JSON).body("{\"labels\": {\"ready\": \"other\"}}")
                .patch("/api/afk/repos/" + repo).then().statusCode(409);
        given().header("Authorization", Tokens.operator()).delete("/api/afk/repos/" + repo).then().statusCode(403);
        assertThat(repoView(repo).getString("repo")).isEqualTo(repo.toString());

        given().header("Authorization", Tokens.operator()).post("/api/afk/runs/" + runId + "/cancel").then().statusCode(200);
        tick();
        assertThat(state(repo)).isEqualTo("CANCELLED");

        given().header("Authorization", Tokens.admin()).delete("/api/afk/repos/" + repo).then().statusCode(204);
        given().header("Authorization", Tokens.viewer()).get("/api/afk/repos/" + repo).then().statusCode(404);
        given().header("Authorization", Tokens.admin()).delete("/api/afk/repos/" + repo).then().statusCode(404);
        assertThat(detail(runId).getString("run.state")).as("finished runs stay on the record").isEqualTo("CANCELLED");
        assertThat(history(repo).getList("action")).containsExactly("unenroll", "enroll");

        // Nothing of it dispatches any more, and it can be enrolled again.
        readyIssue(repo, 2);
        ticks(2);
        assertThat(runs(repo)).hasSize(1);
        given().header("Authorization", Tokens.admin()).contentType(ContentType.JSON)
                .body("{\"repo\": \"%s\", \"defaultBranch\": \"main\", \"cloneUrl\": \"https://git.example/%s.git\"}".formatted(repo, repo))
                .post("/api/afk/repos").then().statusCode(201).body("repo", equalTo(repo.toString()));
    }

    @Test
    void resumeAndUnfreezeSignalTheRepositorySoAWaitingIssueIsPolledAtOnce() {
        RepoSlug repo = enroll("signal");
        String runId = working(repo, 1).runId();
        await(() -> signals.drain());

        given().header("Authorization", Tokens.operator()).post("/api/afk/repos/" + repo + "/pause").then().statusCode(200);
        assertThat(await(() -> signals.drain())).doesNotContain(repo);
        given().header("Authorization", Tokens.operator()).post("/api/afk/repos/" + repo + "/resume").then().statusCode(200);
        assertThat(await(() -> signals.drain())).contains(repo);

        await(() -> pool.preparedQuery("update afk_repo set frozen_by_run = $1, frozen_at = now() where repo = $2")
                .execute(io.vertx.mutiny.sqlclient.Tuple.of(java.util.UUID.fromString(runId), repo.toString())));
        given().header("Authorization", Tokens.admin()).post("/api/afk/repos/" + repo + "/unfreeze").then().statusCode(200);
        assertThat(await(() -> signals.drain())).contains(repo);
    }

    @jakarta.inject.Inject
    dev.afk.controlplane.tracker.RepoSignals signals;
    @jakarta.inject.Inject
    io.vertx.mutiny.sqlclient.Pool pool;

    JsonPath history(RepoSlug repo) {
        return given().header("Authorization", Tokens.viewer()).get("/api/afk/repos/" + repo + "/history")
                .then().statusCode(200).extract().jsonPath();
    }
}
