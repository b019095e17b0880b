package dev.afk.controlplane.e2e;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.afk.controlplane.afk.runs.RunIds;
import dev.afk.controlplane.common.RunId;
import dev.afk.controlplane.fakes.t3.AgentScript;
import dev.afk.controlplane.fakes.t3.FakeT3Resource;
import dev.afk.controlplane.support.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

@QuarkusTest
@TestProfile(EndToEndProfile.class)
class OperatorCancelTests extends EndToEndScenario {

    @Test
    void anOperatorCancelInterruptsTheAgentAndCleansUp() {
        Fixture repo = enroll("cancel");
        int issue = readyIssue(repo, "alice");
        join(() -> poller.tick());
        RunId runId = RunId.parse((String) runs(repo).getFirst().get("id"));
        String threadId = RunIds.thread(runId);
        FakeT3Resource.server().onTurnStart(threadId, AgentScript.neverFinish());

        JsonPath working = tickUntil(repo, "WORKING", 5);
        Path worktree = Path.of(working.getString("run.worktreePath"));
        assertThat(worktree).isDirectory();

        given().header("Authorization", Tokens.operator()).post("/api/afk/runs/" + runId + "/cancel").then().statusCode(200);
        JsonPath cancelled = tickUntil(repo, "CANCELLED", 3);

        assertThat(cancelled.getList("effects.doneAt")).doesNotContainNull();
        assertThat(FakeT3Resource.server().dispatched())
                .filteredOn(c -> "thread.turn.interrupt".equals(c.path("type").asText()) && threadId.equals(c.path("threadId").asText()))
                .singleElement().satisfies(c -> assertThat(c.path("turnId").asText()).isNotBlank());
        assertThat(repo.github().labels(issue)).doesNotContain("ready-for-agent", "agent-in-progress");
        assertThat(repo.github().issue(issue).state).isEqualTo("open");
        assertThat(repo.github().comments(issue)).singleElement().satisfies(c -> assertThat(c.body()).contains("CANCELLED"));
        assertThat(worktree).doesNotExist();

        tick();
        assertThat(runs(repo)).hasSize(1);
    }
}
