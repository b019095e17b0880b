package dev.afk.controlplane.afk.scenarios;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.afk.controlplane.afk.dispatch.Poller;
import dev.afk.controlplane.afk.fakes.FakeCiVerdicts;
import dev.afk.controlplane.afk.fakes.FakeDoorbell;
import dev.afk.controlplane.afk.fakes.FakeExecutor;
import dev.afk.controlplane.afk.fakes.FakeIssueTracker;
import dev.afk.controlplane.afk.fakes.FakeWorkspaces;
import dev.afk.controlplane.afk.runs.Reconciler;
import dev.afk.controlplane.common.RepoSlug;
import dev.afk.controlplane.support.TestClock;
import dev.afk.controlplane.support.Tokens;
import dev.afk.controlplane.tracker.Permission;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.vertx.VertxContextSupport;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;

/**
 * Drives the pipeline end to end: the REST API for everything an operator does, the fakes for the
 * world, and ticks by hand with a clock the test moves.
 */
abstract class PipelineScenario {

    private static final AtomicInteger REPOS = new AtomicInteger();

    @Inject
    FakeIssueTracker tracker;
    @Inject
    FakeExecutor executor;
    @Inject
    FakeCiVerdicts ci;
    @Inject
    FakeDoorbell doorbell;
    @Inject
    FakeWorkspaces workspaces;
    @Inject
    Poller poller;
    @Inject
    Reconciler reconciler;
    @Inject
    Pool sql;

    TestClock clock;

    @BeforeEach
    void installClockAndArm() {
        clock = new TestClock();
        QuarkusMock.installMockForType(clock, Clock.class);
        killSwitch(false);
        setEarlierScenariosAside();
    }

    /**
     * Runs left open by earlier scenarios share the database: once a test moves its clock, they are
     * all due before this test's own run and can fill every reconcile batch, so that run would never
     * be looked at. They are put a century away; nothing later reads them.
     */
    private void setEarlierScenariosAside() {
        await(() -> sql.query("update afk_run set next_reconcile_at = now() + interval '100 years' where active or effects_pending")
                .execute().replaceWithVoid());
    }

    void killSwitch(boolean engaged) {
        given().header("Authorization", Tokens.admin()).contentType(ContentType.JSON)
                .body("{\"engaged\": " + engaged + ", \"reason\": \"scenario\"}")
                .put("/api/afk/kill-switch").then().statusCode(200);
    }

    /** Enrolls a repository of its own for the test, with a writer "alice" and a reader "eve". */
    RepoSlug enroll(String name) {
        RepoSlug repo = RepoSlug.parse("scenario/" + name + "-" + REPOS.incrementAndGet() + "-" + System.nanoTime() % 100000);
        given().header("Authorization", Tokens.admin()).contentType(ContentType.JSON)
                .body("""
                        {"repo": "%s", "defaultBranch": "main", "cloneUrl": "https://git.example/%s.git",
                         "ciStages": ["GITHUB_ACTIONS", "ROLLOUT"], "deployments": [{"namespace": "shop", "name": "web"}]}"""
                        .formatted(repo, repo))
                .post("/api/afk/repos").then().statusCode(201);
        tracker.grant(repo, "alice", Permission.WRITE);
        tracker.grant(repo, "eve", Permission.READ);
        return repo;
    }

    FakeIssueTracker.IssueState readyIssue(RepoSlug repo, int number) {
        return tracker.issue(repo, number, "Issue " + number).body("Do the thing #" + number).labelReady("alice");
    }

    /** One poll and one reconcile pass, as the scheduler would run them. */
    void tick() {
        poll();
        reconcile();
    }

    void poll() {
        await(() -> poller.tick());
    }

    void reconcile() {
        await(() -> reconciler.tick("scenario"));
    }

    void ticks(int n) {
        for (int i = 0; i < n; i++) {
            tick();
        }
    }

    /** Dispatches the issue and gets its run to WORKING. */
    FakeExecutor.Thread working(RepoSlug repo, int issue) {
        readyIssue(repo, issue);
        ticks(2);
        assertThat(state(repo)).isEqualTo("WORKING");
        return executor.latest(repo);
    }

    static <T> T await(java.util.function.Supplier<io.smallrye.mutiny.Uni<T>> work) {
        try {
            return VertxContextSupport.subscribeAndAwait(work::get);
        } catch (Throwable e) {
            throw new AssertionError(e);
        }
    }

    // --- REST views ----------------------------------------------------------------------------

    List<java.util.Map<String, Object>> runs(RepoSlug repo) {
        return given().header("Authorization", Tokens.viewer()).queryParam("repo", repo.toString())
                .get("/api/afk/runs").then().statusCode(200).extract().jsonPath().getList("");
    }

    /** The repository's newest run. */
    JsonPath run(RepoSlug repo) {
        List<java.util.Map<String, Object>> all = runs(repo);
        if (all.isEmpty()) {
            throw new AssertionError("no run for " + repo);
        }
        return detail((String) all.getFirst().get("id"));
    }

    JsonPath detail(String runId) {
        return given().header("Authorization", Tokens.viewer()).get("/api/afk/runs/" + runId)
                .then().statusCode(200).extract().jsonPath();
    }

    String state(RepoSlug repo) {
        return run(repo).getString("run.state");
    }

    JsonPath repoView(RepoSlug repo) {
        return given().header("Authorization", Tokens.viewer()).get("/api/afk/repos/" + repo)
                .then().statusCode(200).extract().jsonPath();
    }

    /** What the agent does right: push a commit with the run's trailers, then stop. */
    String agentPushes(RepoSlug repo, String sha) {
        FakeExecutor.Thread thread = executor.latest(repo);
        tracker.pushForRun(repo, sha, thread.runId(), issueOf(thread));
        thread.finish();
        return sha;
    }

    static int issueOf(FakeExecutor.Thread thread) {
        String title = thread.start().title();
        return Integer.parseInt(title.substring(1, title.indexOf(' ')));
    }
}
