package dev.afk.controlplane.afk.scenarios;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

import dev.afk.controlplane.afk.fakes.FakeExecutor;
import dev.afk.controlplane.ci.CiVerdicts.Outcome;
import dev.afk.controlplane.common.RepoSlug;
import dev.afk.controlplane.github.GitHubUnavailable;
import dev.afk.controlplane.afk.registry.ImplementerAgents;
import dev.afk.controlplane.support.HeadlessChromium;
import dev.afk.controlplane.support.Tokens;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Status at a glance: the overview API and the server-rendered status page, in a real headless
 * Chromium, over runs the pipeline drove to DONE, to DONE after a fix-forward, to ESCALATED and to
 * FROZEN. The page's screenshot is kept at target/status-page.png.
 */
@QuarkusTest
class StatusAtAGlanceTests extends PipelineScenario {

    static final Path SCREENSHOT = Path.of("target/status-page.png");

    @TestHTTPResource("/")
    URL root;

    /** Drives one repository through all four endings and leaves an untrusted label waiting. */
    RepoSlug fourEndings() {
        // Other test classes share the database, and their clocks may have run hours ahead; the
        // overview lists the newest finished runs, so these must finish last.
        clock.advance(java.time.Duration.ofDays(30));
        RepoSlug repo = enroll("glance");
        working(repo, 1);
        ci.script("good001", Outcome.GREEN);
        agentPushes(repo, "good001");
        ticks(2);
        assertThat(state(repo)).isEqualTo("DONE");

        FakeExecutor.Thread fixing = working(repo, 2);
        ci.script("bad0002", Outcome.RED);
        agentPushes(repo, "bad0002");
        ticks(2);
        assertThat(state(repo)).isEqualTo("FIX_FORWARDING");
        ci.script("good002", Outcome.GREEN);
        tracker.pushForRun(repo, "good002", fixing.runId(), 2);
        fixing.finish();
        ticks(2);
        assertThat(state(repo)).isEqualTo("DONE");

        working(repo, 3).finish();
        tick();
        clock.advanceMinutes(3);
        tick();
        assertThat(state(repo)).isEqualTo("ESCALATED");

        FakeExecutor.Thread freezing = working(repo, 4);
        for (int attempt = 0; attempt <= 5; attempt++) {
            ci.script("red000" + attempt, Outcome.RED);
            tracker.pushForRun(repo, "red000" + attempt, freezing.runId(), 4);
            freezing.finish();
            ticks(2);
        }
        assertThat(state(repo)).isEqualTo("FROZEN");

        tracker.issue(repo, 5, "Issue 5").body("Labelled by a reader").labelReady("eve");
        return repo;
    }

    @Test
    void theOverviewAndThePageShowEveryEndingInABrowser() throws Exception {
        RepoSlug repo = fourEndings();

        JsonPath overview = given().header("Authorization", Tokens.viewer()).get("/api/afk/overview")
                .then().statusCode(200).extract().jsonPath();
        assertThat(overview.getMap("runsByState", String.class, Integer.class))
                .containsKeys("DONE", "ESCALATED", "FROZEN");
        assertThat(overview.getList("finishedRuns.findAll { it.repo == '" + repo + "' }.state"))
                .containsExactly("FROZEN", "ESCALATED", "DONE", "DONE");
        assertThat(overview.getString("repos.find { it.repo == '" + repo + "' }.frozen")).isEqualTo("true");
        assertThat(overview.getString("queue.find { it.repo == '" + repo + "' }.reason")).isEqualTo("REPO_FROZEN");
        assertThat(overview.getList("health.component")).contains("T3 Code executor", "Issue tracker", "Doorbell");
        assertThat(overview.getBoolean("killSwitch.engaged")).isFalse();
        // Each ring also names the repository's agent, whose own channels it rings too.
        assertThat(doorbell.rings(repo)).isNotEmpty().allSatisfy(ring ->
                assertThat(ring.agent()).isEqualTo(ImplementerAgents.agentName(repo)));

        Files.deleteIfExists(SCREENSHOT);
        try (HeadlessChromium browser = new HeadlessChromium()) {
            browser.call("Emulation.setDeviceMetricsOverride", Map.of("width", 1280, "height", 1000, "deviceScaleFactor", 1, "mobile", false));
            browser.navigate(root + "status");
            browser.loaded("/status/login");
            browser.eval("document.getElementById('token').value = '" + Tokens.viewer().substring("Bearer ".length())
                    + "'; document.getElementById('log-in').click(); true");
            browser.loaded("/status");
            String text = browser.eval("document.body.innerText");
            assertThat(text).contains("Kill switch released", repo + "#1", repo + "#4", "FROZEN", "ESCALATED", "DONE",
                    "red after 5 fix-forward attempts", "without pushing", "T3 Code executor");
            assertThat(browser.eval("document.querySelector('meta[http-equiv=refresh]').content")).isEqualTo("10");
            browser.screenshot(SCREENSHOT);
        }
        assertThat(SCREENSHOT).isNotEmptyFile();
    }

    @Test
    void aRepositoryThatCannotBePolledSaysWhyInTheOverview() {
        RepoSlug repo = enroll("unpollable");
        tracker.failing(repo, new GitHubUnavailable(0, "GitHub access is not configured: set afk.github.token-file"));
        tick();

        JsonPath overview = given().header("Authorization", Tokens.viewer()).get("/api/afk/overview")
                .then().statusCode(200).extract().jsonPath();
        assertThat(overview.getString("repos.find { it.repo == '" + repo + "' }.problem")).contains("afk.github.token-file");
        assertThat(overview.getString("health.find { it.component == 'Issue tracker' }.status")).isEqualTo("DOWN");
    }

    @Test
    void thePageHasTheApisAccessRules() {
        given().redirects().follow(false).get("/status").then().statusCode(303).header("Location", containsString("/status/login"));
        given().header("Authorization", "Bearer not.a.token").get("/status").then().statusCode(401)
                .contentType("application/problem+json");
        given().header("Authorization", Tokens.bearer("nobody", "strangers")).get("/status").then().statusCode(403)
                .contentType("application/problem+json");
        given().get("/api/afk/overview").then().statusCode(401).contentType("application/problem+json");
        given().header("Authorization", Tokens.bearer("nobody", "strangers")).get("/api/afk/overview").then().statusCode(403);
        given().redirects().follow(false).cookie("afk_status_token", "forged.token.value").get("/status").then().statusCode(401);
        given().contentType("application/x-www-form-urlencoded").formParam("token", "<script>").post("/status/login")
                .then().statusCode(400).contentType("application/problem+json");
        given().redirects().follow(false).header("Authorization", Tokens.viewer()).get("/status").then().statusCode(200)
                .contentType("text/html");
    }
}
