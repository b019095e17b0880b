package dev.afk.controlplane.afk.scenarios;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.afk.controlplane.ci.CiVerdicts.Outcome;
import dev.afk.controlplane.common.RepoSlug;
import dev.afk.controlplane.support.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

/** A DONE run says what was judged: a deploy only where a rollout stage judged one, and its verdict. */
@QuarkusTest
class DoneReportTests extends PipelineScenario {

    @Test
    void withoutARolloutStageDoneClaimsNoDeploy() {
        RepoSlug repo = enroll("done-no-rollout");
        given().header("Authorization", Tokens.admin()).contentType(ContentType.JSON)
                .body("{\"ciStages\": [\"GITHUB_ACTIONS\"], \"deployments\": []}")
                .patch("/api/afk/repos/" + repo).then().statusCode(200);
        working(repo, 1);
        ci.script(agentPushes(repo, "ccc3333"), Outcome.GREEN);
        ticks(2);

        JsonPath done = run(repo);
        assertThat(done.getString("run.state")).isEqualTo("DONE");
        assertThat(done.getString("run.lastVerdict")).isEqualTo("GREEN");
        assertThat(done.getString("run.outcomeReason")).isEqualTo("CI green on ccc3333").doesNotContain("rollout");
        assertThat(tracker.existing(repo, 1).comments().getFirst()).contains("[x] CI", "[x] done").doesNotContain("deployed");
    }

    @Test
    void withARolloutStageDoneSaysDeployedAndKeepsItsVerdict() {
        RepoSlug repo = enroll("done-rollout");
        working(repo, 1);
        ci.script(agentPushes(repo, "ddd4444"), Outcome.GREEN);
        ticks(2);

        JsonPath done = run(repo);
        assertThat(done.getString("run.state")).isEqualTo("DONE");
        assertThat(done.getString("run.lastVerdict")).isEqualTo("GREEN");
        assertThat(done.getString("run.outcomeReason")).isEqualTo("CI and rollout green on ddd4444");
        assertThat(tracker.existing(repo, 1).comments().getFirst()).contains("[x] deployed");
    }
}
