package dev.afk.controlplane.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.afk.controlplane.fakes.CiDoorbellFakes;
import dev.afk.controlplane.fakes.t3.FakeT3Resource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

@QuarkusTest
@TestProfile(EndToEndProfile.class)
class HaltTests extends EndToEndScenario {

    @Test
    void sixRedDeploysFreezeTheRepositoryAndKeepTheWorktree() {
        Fixture repo = enroll("frozen");
        int issue = readyIssue(repo, "alice");
        List<String> pushes = new CopyOnWriteArrayList<>();
        // Every turn, the first and each corrective one, pushes a new commit whose deploy fails.
        agent(repo, turn -> {
            String sha = push(repo, turn, issue, "Attempt " + turn.turnNumber());
            CiDoorbellFakes.woodpecker().addPipeline(repo.woodpeckerId(), sha, "main", "failure", "test");
            pushes.add(sha);
        });

        JsonPath run = tickUntil(repo, "FROZEN", 40);
        String runId = run.getString("run.id");
        assertThat(pushes).hasSize(6).doesNotHaveDuplicates();
        assertThat(run.getString("run.commitSha")).isEqualTo(pushes.getLast());
        assertThat(run.getInt("run.fixForwardAttempts")).isEqualTo(5);
        assertThat(run.getString("run.outcomeReason")).contains("5 fix-forward attempts");
        assertThat(FakeT3Resource.server().dispatched()).filteredOn(c -> "thread.turn.start".equals(c.path("type").asText())
                && run.getString("run.threadId").equals(c.path("threadId").asText())).hasSize(6);

        var stuck = repo.github().issue(issue);
        assertThat(stuck.state).isEqualTo("open");
        assertThat(repo.github().labels(issue)).contains("ready-for-human").doesNotContain("ready-for-agent", "agent-in-progress");
        assertThat(repo.github().comments(issue)).singleElement().satisfies(c -> assertThat(c.body()).contains("FROZEN"));
        JsonPath view = repoView(repo);
        assertThat(view.getBoolean("frozen")).isTrue();
        assertThat(view.getString("frozenByRun")).isEqualTo(runId);
        assertThat(Path.of(run.getString("run.worktreePath"))).as("kept for forensics").isDirectory();

        String ref = repo.slug() + "#" + issue;
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertThat(CiDoorbellFakes.ntfy().published()).filteredOn(m -> m.path("title").asText().contains(ref))
                    .singleElement().satisfies(m -> assertThat(m.path("priority").asInt()).isEqualTo(5));
            assertThat(CiDoorbellFakes.slack().delivered()).filteredOn(m -> m.path("text").asText().contains(ref))
                    .singleElement().satisfies(m -> assertThat(m.path("text").asText()).startsWith("[Frozen]"));
        });

        // The repository is held: a newly labelled issue waits.
        readyIssue(repo, "alice");
        tick();
        assertThat(runs(repo)).hasSize(1);
    }

    @Test
    void aLabelFromSomeoneWithoutWriteAccessDispatchesNothing() {
        Fixture repo = enroll("untrusted");
        int issue = readyIssue(repo, "trudy");
        int threadsBefore = FakeT3Resource.server().dispatched().size();

        tick();
        tick();

        assertThat(runs(repo)).isEmpty();
        assertThat(FakeT3Resource.server().dispatched()).hasSize(threadsBefore);
        assertThat(repo.github().labels(issue)).containsExactly("ready-for-agent");
        assertThat(repo.github().comments(issue)).isEmpty();
        JsonPath dryRun = io.restassured.RestAssured.given().header("Authorization", dev.afk.controlplane.support.Tokens.viewer())
                .get("/api/afk/dispatch/dry-run").then().statusCode(200).extract().jsonPath();
        assertThat(dryRun.getString("find { it.repo == '" + repo.slug() + "' }.candidates[0].reason")).isEqualTo("UNTRUSTED_LABELLER");
    }
}
