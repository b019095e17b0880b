package dev.afk.controlplane.e2e;

import dev.afk.controlplane.common.RunId;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.afk.controlplane.afk.runs.RunIds;
import dev.afk.controlplane.common.RunId;
import dev.afk.controlplane.fakes.CiDoorbellFakes;
import dev.afk.controlplane.fakes.t3.AgentScript;
import dev.afk.controlplane.fakes.t3.FakeT3Resource;
import dev.afk.controlplane.support.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The kill switch from the attacker's side, against the T3 fake: an agent that misbehaves is
 * stopped by an operator engaging the switch, and from the acknowledged engage on T3 receives no
 * command that makes an agent act, whatever the runs were doing.
 */
@QuarkusTest
@TestProfile(EndToEndProfile.class)
class KillSwitchEndToEndTests extends EndToEndScenario {

    private final List<Fixture> used = new ArrayList<>();

    /** Runs held by the switch would carry on in the next test once it releases the switch. */
    @AfterEach
    void cancelWhatIsLeft() {
        used.forEach(this::cancelUnfinishedRuns);
    }

    private Fixture used(Fixture repo) {
        used.add(repo);
        return repo;
    }

    @Test
    void engagedMidRunWithInterruptStopsTheHangingAgentAndSendsNothingAfterTheAcknowledgement() {
        Fixture hanging = used(enroll("kill-hang"));
        readyIssue(hanging, "alice");
        join(() -> poller.tick());
        RunId runId = RunId.parse((String) runs(hanging).getFirst().get("id"));
        FakeT3Resource.server().onTurnStart(RunIds.thread(runId), AgentScript.neverFinish());
        tickUntil(hanging, "WORKING", 5);
        // A second release was taken for dispatch just before the engage: its thread is not created yet.
        Fixture queued = used(enroll("kill-queued"));
        readyIssue(queued, "alice");
        join(() -> poller.tick());
        assertThat(runs(queued)).singleElement().satisfies(r -> assertThat(r.get("state")).isEqualTo("QUEUED"));
        assertThat(commandsFor(queued)).isEmpty();
        int beforeEngage = FakeT3Resource.server().dispatched().size();

        JsonPath engaged = given().header("Authorization", Tokens.admin()).contentType(ContentType.JSON)
                .body("{\"engaged\": true, \"reason\": \"agent misbehaves\", \"interruptActiveTurns\": true}")
                .put("/api/afk/kill-switch").then().statusCode(200).extract().jsonPath();
        List<JsonNode> atAcknowledgement = List.copyOf(FakeT3Resource.server().dispatched());

        // Interrupting is done when the engage is answered (each interrupt has a 4 s deadline).
        assertThat(atAcknowledgement.subList(beforeEngage, atAcknowledgement.size()))
                .as("only interrupts went out while engaging")
                .allSatisfy(c -> assertThat(c.path("type").asText()).isEqualTo("thread.turn.interrupt"))
                .anySatisfy(c -> assertThat(c.path("threadId").asText()).isEqualTo(RunIds.thread(runId)));
        assertThat(engaged.getBoolean("engaged")).isTrue();
        assertThat(engaged.getInt("interruptedTurns")).isGreaterThanOrEqualTo(1);
        assertThat(run(hanging).getList("timeline.detail")).contains("turn interrupted by the kill switch: agent misbehaves");

        for (int i = 0; i < 5; i++) {
            tick();
        }

        assertThat(FakeT3Resource.server().dispatched()).as("no executor command after the acknowledged engage")
                .hasSize(atAcknowledgement.size());
        assertThat(commandsFor(queued)).isEmpty();
        JsonPath held = run(queued);
        assertThat(held.getString("run.threadId")).isNull();
        assertThat(held.getList("effects.findAll { it.doneAt == null }.lastError"))
                .contains("held: the global kill switch is engaged");
    }

    @Test
    void engagedMidFixForwardNoCorrectiveTurnIsSent() {
        Fixture repo = used(enroll("kill-fix"));
        int issue = readyIssue(repo, "alice");
        // Every turn, the first and each corrective one, pushes a commit whose CI fails.
        agent(repo, turn -> {
            String sha = push(repo, turn, issue, "Attempt " + turn.turnNumber());
            CiDoorbellFakes.woodpecker().addPipeline(repo.woodpeckerId(), sha, "main", "failure", "test");
        });
        JsonPath fixing = tickUntil(repo, "FIX_FORWARDING", 10);
        String thread = fixing.getString("run.threadId");
        // The first corrective turn is out and has pushed another red commit.
        for (int i = 0; i < 10 && turnStarts(thread).size() < 2; i++) {
            tick();
        }
        assertThat(turnStarts(thread)).hasSize(2);

        killSwitch(true);
        int atAcknowledgement = FakeT3Resource.server().dispatched().size();
        for (int i = 0; i < 6; i++) {
            tick();
        }

        assertThat(FakeT3Resource.server().dispatched()).as("no executor command after the acknowledged engage")
                .hasSize(atAcknowledgement);
        assertThat(turnStarts(thread)).hasSize(2);
        JsonPath held = run(repo);
        assertThat(held.getString("run.state")).isEqualTo("FIX_FORWARDING");
        assertThat(held.getInt("run.fixForwardAttempts")).isEqualTo(2);
        assertThat(held.getList("effects.findAll { it.doneAt == null }.lastError"))
                .contains("held: the global kill switch is engaged");
    }
}
