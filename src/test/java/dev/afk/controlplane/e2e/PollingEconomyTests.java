package dev.afk.controlplane.e2e;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.afk.controlplane.fakes.github.FakeGitHub;
import dev.afk.controlplane.fakes.github.FakeGitHubResource;
import dev.afk.controlplane.support.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * An idle poll costs one conditional listing per repository (ADR 0017), and what it no longer reads
 * every time is still seen at the very next poll: a blocker that closes, a labeller whose permission
 * is granted or withdrawn. Each poll here is one {@code poller.tick()}, one poll interval.
 */
@QuarkusTest
@TestProfile(EndToEndProfile.class)
class PollingEconomyTests extends EndToEndScenario {

    private final FakeGitHub github = FakeGitHubResource.fake();

    @Test
    void anIdleRepositoryCostsOneFreeListingPerPoll() throws InterruptedException {
        Fixture repo = enroll("idle");
        int design = repo.github().createIssue("Design first", "");
        for (int i = 0; i < 5; i++) {
            int issue = repo.github().createIssue("Task " + i, "Blocked by #" + design);
            repo.github().label(issue, "ready-for-agent", "alice");
        }
        Thread.sleep(1_100); // GitHub stamps to the second: a timeline is remembered once read a second after its issue changed
        poll();
        poll();

        List<FakeGitHub.Call> idle = pollCalls(repo);

        assertThat(runs(repo)).isEmpty();
        assertThat(idle).extracting(FakeGitHub.Call::template).containsExactly("/repos/{owner}/{repo}/issues");
        assertThat(idle).allMatch(call -> call.status() == 304 && !call.charged());
    }

    @Test
    void aBlockerThatClosesIsSeenAtTheNextPoll() {
        Fixture repo = enroll("blocker-closes");
        int schema = repo.github().createIssue("Schema first", "");
        int api = repo.github().createIssue("API first", "");
        int issue = repo.github().createIssue("Add a greeting", "Print hello on start.\n\nBlocked by #" + schema);
        repo.github().blockedBy(issue, repo.slug().toString(), api, "alice");
        repo.github().label(issue, "ready-for-agent", "alice");
        poll();
        poll();
        assertThat(runs(repo)).isEmpty();

        repo.github().close(schema, "alice");
        poll();
        assertThat(runs(repo)).as("still blocked by the dependency").isEmpty();

        repo.github().close(api, "alice");
        poll();
        assertThat(runs(repo)).hasSize(1);
        assertThat(run(repo).getInt("run.issue")).isEqualTo(issue);
    }

    @Test
    void aPermissionGrantedIsSeenAtTheNextPoll() {
        Fixture repo = enroll("granted");
        int issue = readyIssue(repo, "trudy");
        poll();
        poll();
        assertThat(runs(repo)).isEmpty();

        repo.github().collaborator("trudy", "write");
        poll();

        assertThat(runs(repo)).hasSize(1);
        assertThat(run(repo).getInt("run.issue")).isEqualTo(issue);
    }

    @Test
    void aPermissionWithdrawnIsSeenAtTheNextPoll() {
        Fixture repo = enroll("withdrawn");
        int blocker = repo.github().createIssue("Schema first", "");
        repo.github().label(repo.github().createIssue("Add a greeting", "Blocked by #" + blocker), "ready-for-agent", "alice");
        poll();
        poll();
        assertThat(runs(repo)).isEmpty();

        // While the issue waits, alice loses write access; then the blocker closes.
        repo.github().collaborator("alice", "read");
        repo.github().close(blocker, "trudy");
        poll();

        assertThat(runs(repo)).isEmpty();
        assertThat(given().header("Authorization", Tokens.viewer()).get("/api/afk/dispatch/dry-run")
                .then().statusCode(200).extract().jsonPath()
                .getString("find { it.repo == '" + repo.slug() + "' }.candidates[0].reason")).isEqualTo("UNTRUSTED_LABELLER");
    }

    private int callsBefore;

    /** One poll interval of the poller alone (the reconciler has nothing to do without runs). */
    private void poll() {
        callsBefore = github.calls().size();
        join(() -> poller.tick());
    }

    /** The requests the last poll sent for this repository. */
    private List<FakeGitHub.Call> pollCalls(Fixture repo) {
        return github.calls().subList(callsBefore, github.calls().size()).stream()
                .filter(call -> repo.slug().toString().equals(call.repo())).toList();
    }
}
