package dev.afk.controlplane.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.afk.controlplane.executor.Executor;
import dev.afk.controlplane.executor.t3.T3Executor;
import dev.afk.controlplane.fakes.CiDoorbellFakes;
import dev.afk.controlplane.fakes.t3.FakeT3Resource;
import dev.afk.controlplane.tracker.IssueTracker;
import dev.afk.controlplane.tracker.github.GitHubIssueTracker;
import dev.afk.controlplane.workspace.Workspaces;
import dev.afk.controlplane.workspace.git.GitWorkspaces;
import io.quarkus.arc.ClientProxy;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

@QuarkusTest
@TestProfile(EndToEndProfile.class)
class IssueToDeployTests extends EndToEndScenario {

    @Inject
    IssueTracker tracker;
    @Inject
    Executor executor;
    @Inject
    Workspaces workspaces;

    @Test
    void thePortsAreTheRealAdapters() {
        assertThat(ClientProxy.unwrap(tracker)).isInstanceOf(GitHubIssueTracker.class);
        assertThat(ClientProxy.unwrap(executor)).isInstanceOf(T3Executor.class);
        assertThat(ClientProxy.unwrap(workspaces)).isInstanceOf(GitWorkspaces.class);
    }

    @Test
    void aTrustedLabelBecomesAGreenDeployAndAClosedIssue() {
        Fixture repo = enroll("done");
        AtomicReference<String> pushed = new AtomicReference<>();
        int issue = readyIssue(repo, "alice");
        agent(repo, turn -> {
            assertThat(Path.of(turn.worktreePath()).resolve("README.md")).as("the agent works in a checkout").exists();
            String sha = push(repo, turn, issue, "Print hello on start");
            CiDoorbellFakes.woodpecker().addPipeline(repo.woodpeckerId(), sha, "main", "running");
            pushed.set(sha);
        });

        tick();
        JsonPath run = run(repo);
        String runId = run.getString("run.id");
        Path worktree = Path.of(run.getString("run.worktreePath"));
        assertThat(worktree).isDirectory();
        assertThat(worktree.resolve(".git")).isRegularFile();
        List<JsonNode> created = FakeT3Resource.server().dispatched().stream()
                .filter(c -> "thread.create".equals(c.path("type").asText()) && runId.equals(threadRun(c, run))).toList();
        assertThat(created).singleElement().satisfies(c -> assertThat(c.path("worktreePath").asText()).isEqualTo(worktree.toString()));
        JsonNode turnStart = FakeT3Resource.server().dispatched().stream()
                .filter(c -> "thread.turn.start".equals(c.path("type").asText())
                        && run.getString("run.threadId").equals(c.path("threadId").asText()))
                .findFirst().orElseThrow();
        assertThat(turnStart.toString()).contains("AFK-Run: " + runId, "Refs #" + issue);
        assertThat(repo.github().labels(issue)).contains("agent-in-progress");

        JsonPath awaiting = tickUntil(repo, "AWAITING_CI", 10);
        assertThat(awaiting.getString("run.commitSha")).isEqualTo(pushed.get());
        tick();
        assertThat(run(repo).getString("run.state")).isEqualTo("AWAITING_CI");

        CiDoorbellFakes.woodpecker().addPipeline(repo.woodpeckerId(), pushed.get(), "main", "success");
        JsonPath done = tickUntil(repo, "DONE", 3);
        assertThat(done.getList("timeline.to")).containsSubsequence("QUEUED", "DISPATCHING", "WORKING", "AWAITING_CI", "DONE");
        assertThat(done.getList("effects.doneAt")).doesNotContainNull();

        var closed = repo.github().issue(issue);
        assertThat(closed.state).isEqualTo("closed");
        assertThat(closed.stateReason).isEqualTo("completed");
        assertThat(repo.github().labels(issue)).doesNotContain("agent-in-progress", "ready-for-human");
        assertThat(repo.github().comments(issue)).singleElement()
                .satisfies(c -> assertThat(c.body()).contains("DONE", "[x] done", done.getString("run.threadLink")));
        assertThat(done.getString("run.threadLink")).isEqualTo("https://t3.example.test/ui/" + done.getString("run.threadId"));
        assertThat(worktree).doesNotExist();

        String ref = repo.slug() + "#" + issue;
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertThat(CiDoorbellFakes.slack().delivered()).filteredOn(m -> m.path("text").asText().contains(ref))
                    .singleElement().satisfies(m -> assertThat(m.path("text").asText()).isEqualTo("[Done] " + ref + ": Add a greeting"));
            assertThat(CiDoorbellFakes.ntfy().published()).filteredOn(m -> m.path("title").asText().contains(ref))
                    .singleElement().satisfies(m -> assertThat(m.path("priority").asInt()).isEqualTo(2));
        });

        // A finished run stays finished, and the closed issue is not dispatched again.
        tick();
        tick();
        assertThat(runs(repo)).hasSize(1);
        assertThat(Files.exists(worktree)).isFalse();
    }

    private static String threadRun(JsonNode create, JsonPath run) {
        return create.path("threadId").asText().equals(run.getString("run.threadId")) ? run.getString("run.id") : null;
    }
}
