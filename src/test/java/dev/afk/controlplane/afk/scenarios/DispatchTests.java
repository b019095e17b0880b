package dev.afk.controlplane.afk.scenarios;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.afk.controlplane.ci.CiVerdicts.Outcome;
import dev.afk.controlplane.common.RepoSlug;
import dev.afk.controlplane.support.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.util.List;
import org.junit.jupiter.api.Test;

@QuarkusTest
class DispatchTests extends PipelineScenario {

    /** The dry run's verdicts for one repository. */
    JsonPath dryRun(RepoSlug repo) {
        String body = given().header("Authorization", Tokens.viewer()).get("/api/afk/dispatch/dry-run")
                .then().statusCode(200).extract().asString();
        return JsonPath.from(body).setRootPath("find { it.repo == '" + repo + "' }");
    }

    String reason(RepoSlug repo, int index) {
        return dryRun(repo).getString("candidates[" + index + "].reason");
    }

    @Test
    void anUnreachableRepositoryDoesNotHideTheOthersInTheDryRun() {
        RepoSlug down = enroll("dry-down");
        RepoSlug up = enroll("dry-up");
        readyIssue(down, 1);
        readyIssue(up, 1);
        tracker.unreachable(down, true);
        try {
            assertThat(dryRun(down).getString("unavailable")).isEqualTo("the issue tracker could not be read");
            assertThat(dryRun(down).getList("candidates")).isEmpty();
            assertThat(dryRun(up).getString("unavailable")).isNull();
            assertThat(dryRun(up).getList("candidates")).hasSize(1);
        } finally {
            tracker.unreachable(down, false);
        }
    }

    @Test
    void aBlockedIssueWaitsForItsBlockerToClose() {
        RepoSlug repo = enroll("blocked");
        tracker.issue(repo, 1, "Blocker");
        readyIssue(repo, 2).blockedBy(1);
        tick();
        assertThat(runs(repo)).isEmpty();
        assertThat(reason(repo, 0)).isEqualTo("BLOCKED");
        assertThat(dryRun(repo).getString("candidates[0].detail")).contains(repo + "#1");

        tracker.existing(repo, 1).close();
        tick();
        assertThat(runs(repo)).hasSize(1);
        assertThat(run(repo).getInt("run.issue")).isEqualTo(2);
    }

    @Test
    void aLabelFromSomeoneWithoutWriteIsIgnored() {
        RepoSlug repo = enroll("untrusted");
        tracker.issue(repo, 1, "Hostile").label("ready-for-agent", "eve");
        ticks(2);
        assertThat(runs(repo)).isEmpty();
        assertThat(reason(repo, 0)).isEqualTo("UNTRUSTED_LABELLER");

        // Trust follows the most recent labeller.
        tracker.existing(repo, 1).label("ready-for-agent", "alice");
        tick();
        assertThat(runs(repo)).hasSize(1);
        assertThat(run(repo).getString("run.labelledBy")).isEqualTo("alice");
    }

    @Test
    void theKillSwitchStopsDispatchButNotTheDryRun() {
        RepoSlug repo = enroll("kill");
        readyIssue(repo, 1);
        killSwitch(true);
        ticks(2);
        assertThat(runs(repo)).isEmpty();
        assertThat(reason(repo, 0)).isEqualTo("KILL_SWITCH_ENGAGED");

        killSwitch(false);
        tick();
        assertThat(runs(repo)).hasSize(1);
    }

    @Test
    void aPausedRepositoryWaitsUntilResumed() {
        RepoSlug repo = enroll("paused");
        readyIssue(repo, 1);
        given().header("Authorization", Tokens.viewer()).post("/api/afk/repos/" + repo + "/pause").then().statusCode(403);
        given().header("Authorization", Tokens.operator()).post("/api/afk/repos/" + repo + "/pause")
                .then().statusCode(200).body("paused", org.hamcrest.Matchers.is(true));
        ticks(2);
        assertThat(runs(repo)).isEmpty();
        assertThat(reason(repo, 0)).isEqualTo("REPO_PAUSED");
        given().header("Authorization", Tokens.operator()).post("/api/afk/repos/" + repo + "/resume").then().statusCode(200);
        tick();
        assertThat(runs(repo)).hasSize(1);
    }

    @Test
    void twoIssuesOfOneRepositoryRunOneAfterTheOtherInPriorityOrder() {
        RepoSlug repo = enroll("serial");
        readyIssue(repo, 1);
        readyIssue(repo, 2).label("priority:1", "alice");
        ticks(2);
        assertThat(runs(repo)).hasSize(1);
        assertThat(run(repo).getInt("run.issue")).isEqualTo(2);
        JsonPath plan = dryRun(repo);
        assertThat(plan.getList("candidates.issue")).containsExactly(2, 1);
        assertThat(plan.getList("candidates.reason")).containsExactly("ISSUE_HAS_RUN", "REPO_BUSY");

        ci.script("ser0001", Outcome.GREEN);
        agentPushes(repo, "ser0001");
        ticks(2);
        assertThat(state(repo)).isEqualTo("DONE");
        tick();
        assertThat(runs(repo)).hasSize(2);
        assertThat(run(repo).getInt("run.issue")).isEqualTo(1);
    }

    @Test
    void theRepositorysWorkflowFileShapesThePromptAndABrokenOneBlocksDispatch() {
        RepoSlug repo = enroll("workflow");
        tracker.file(repo, ".afk/workflow.md", "---\ntest_command: make check\n---\nFix #{{ issue.number }} in {{ repo }} {{ typo }}\n");
        readyIssue(repo, 1);
        tick();
        assertThat(runs(repo)).isEmpty();
        assertThat(repoView(repo).getString("workflowError")).contains("typo");
        assertThat(reason(repo, 0)).isEqualTo("WORKFLOW_INVALID");

        tracker.file(repo, ".afk/workflow.md", """
                ---
                test_command: make check
                caps:
                  max_turns: 7
                ---
                Fix #{{ issue.number }} in {{ repo }} with `{{ test_command }}`; trailer AFK-Run: {{ run_id }}
                """);
        ticks(2);
        assertThat(repoView(repo).getString("workflowError")).isNull();
        JsonPath run = run(repo);
        assertThat(run.getString("prompt")).startsWith("Fix #1 in " + repo + " with `make check`; trailer AFK-Run: " + run.getString("run.id"));
        assertThat(run.getInt("settings.budgets.maxTurns")).isEqualTo(7);
        assertThat(executor.latest(repo).start().prompt()).isEqualTo(run.getString("prompt"));
    }

    @Test
    void enrollmentIsValidatedAndAdminOnly() {
        String body = "{\"repo\": \"acme/enroll-check\", \"defaultBranch\": \"main\", \"cloneUrl\": \"https://git.example/a.git\"}";
        given().header("Authorization", Tokens.operator()).contentType(ContentType.JSON).body(body)
                .post("/api/afk/repos").then().statusCode(403);
        given().header("Authorization", Tokens.admin()).contentType(ContentType.JSON)
                .body("{\"repo\": \"not a slug\", \"defaultBranch\": \"main\", \"cloneUrl\": \"https://git.example/a.git\"}")
                .post("/api/afk/repos").then().statusCode(400).contentType("application/problem+json");
        given().header("Authorization", Tokens.admin()).contentType(ContentType.JSON)
                .body("{\"repo\": \"acme/x\", \"defaultBranch\": \"main\", \"cloneUrl\": \"ftp://g/a.git\"}")
                .post("/api/afk/repos").then().statusCode(400).body("errors[0].field", org.hamcrest.Matchers.equalTo("cloneUrl"));
        // A repository on the service's own disk is refused unless afk.pipeline.allow-local-clone-urls is on (off here, as in production).
        for (String local : List.of("file:///etc", "/srv/git/demo.git")) {
            given().header("Authorization", Tokens.admin()).contentType(ContentType.JSON)
                    .body("{\"repo\": \"acme/x\", \"defaultBranch\": \"main\", \"cloneUrl\": \"" + local + "\"}")
                    .post("/api/afk/repos").then().statusCode(400).contentType("application/problem+json")
                    .body("type", org.hamcrest.Matchers.endsWith("local-clone-url-refused"));
        }
        given().header("Authorization", Tokens.viewer()).get("/api/afk/repos/acme/x").then().statusCode(404);
        given().header("Authorization", Tokens.admin()).contentType(ContentType.JSON)
                .body("{\"repo\": \"acme/x\", \"defaultBranch\": \"main\", \"cloneUrl\": \"https://g/a.git\", \"ciStages\": [\"JENKINS\"]}")
                .post("/api/afk/repos").then().statusCode(400).contentType("application/problem+json");
        given().header("Authorization", Tokens.admin()).contentType(ContentType.JSON).body(body)
                .post("/api/afk/repos").then().statusCode(201)
                .body("labels.ready", org.hamcrest.Matchers.equalTo("ready-for-agent"))
                .body("ciStages[0]", org.hamcrest.Matchers.equalTo("GITHUB_ACTIONS"));
        given().header("Authorization", Tokens.admin()).contentType(ContentType.JSON).body(body)
                .post("/api/afk/repos").then().statusCode(409).contentType("application/problem+json");
        given().header("Authorization", Tokens.viewer()).get("/api/afk/repos/acme/nope").then().statusCode(404)
                .contentType("application/problem+json");
        given().header("Authorization", Tokens.viewer()).queryParam("state", "BOGUS").get("/api/afk/runs")
                .then().statusCode(400).contentType("application/problem+json");
    }
}
