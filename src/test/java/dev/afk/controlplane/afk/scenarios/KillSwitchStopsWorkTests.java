package dev.afk.controlplane.afk.scenarios;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.afk.controlplane.afk.fakes.FakeExecutor;
import dev.afk.controlplane.ci.CiVerdicts.Outcome;
import dev.afk.controlplane.common.RepoSlug;
import dev.afk.controlplane.support.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * The kill switch from the side of work already running: once an engage is acknowledged, no
 * executor command is sent (interrupts excepted), and on request every running turn is interrupted.
 */
@QuarkusTest
class KillSwitchStopsWorkTests extends PipelineScenario {

    @Test
    void engagedMidFixForwardNoCorrectiveTurnIsSentUntilReleased() {
        RepoSlug repo = enroll("kill-fix");
        FakeExecutor.Thread thread = working(repo, 1);
        ci.script("bad0001", Outcome.RED);
        tracker.pushForRun(repo, "bad0001", thread.runId(), 1);
        thread.finish();
        tick(); // → AWAITING_CI

        killSwitch(true);
        int commandsAtEngage = executor.commandLog().size();
        tick(); // red: the run moves to FIX_FORWARDING, its corrective turn is held
        clock.advance(Duration.ofSeconds(11));
        tick();

        assertThat(executor.commandLog()).hasSize(commandsAtEngage);
        assertThat(thread.messages()).hasSize(1);
        JsonPath held = run(repo);
        assertThat(held.getString("run.state")).isEqualTo("FIX_FORWARDING");
        assertThat(held.getList("effects.findAll { it.doneAt == null }.lastError")).contains("held: the global kill switch is engaged");
        assertThat(held.getList("effects.findAll { it.doneAt == null }.attempts", Integer.class)).as("held, not failed")
                .isNotEmpty().allSatisfy(n -> assertThat(n).isZero());

        // Released, the run carries on where it waited.
        killSwitch(false);
        clock.advance(Duration.ofSeconds(11));
        tick();
        assertThat(thread.messages()).hasSize(2);
        assertThat(thread.messages().getLast()).contains("bad0001", "attempt 1 of 5");
    }

    @Test
    void engagedWithInterruptStopsAHangingAgentAndItsRunEscalates() {
        RepoSlug repo = enroll("kill-hang");
        FakeExecutor.Thread thread = working(repo, 1);
        int commandsBefore = executor.commandLog().size();

        JsonPath engaged = given().header("Authorization", Tokens.admin()).contentType(ContentType.JSON)
                .body("{\"engaged\": true, \"reason\": \"agent misbehaves\", \"interruptActiveTurns\": true}")
                .put("/api/afk/kill-switch").then().statusCode(200).extract().jsonPath();

        assertThat(engaged.getBoolean("engaged")).isTrue();
        assertThat(engaged.getInt("interruptedTurns")).isGreaterThanOrEqualTo(1);
        assertThat(thread.interrupts()).isEqualTo(1);
        assertThat(run(repo).getList("timeline.detail")).contains("turn interrupted by the kill switch: agent misbehaves");

        clock.advanceMinutes(5); // past the push grace: the interrupted turn pushed nothing
        tick();
        JsonPath escalated = run(repo);
        assertThat(escalated.getString("run.state")).isEqualTo("ESCALATED");
        assertThat(tracker.existing(repo, 1).labels()).contains("ready-for-human").doesNotContain("ready-for-agent");
        assertThat(executor.commandLog().subList(commandsBefore, executor.commandLog().size()))
                .allSatisfy(command -> assertThat(command).startsWith("interrupt:"));
    }

    @Test
    void interruptingGoesOnlyWithAnEngage() {
        given().header("Authorization", Tokens.admin()).contentType(ContentType.JSON)
                .body("{\"engaged\": false, \"reason\": \"x\", \"interruptActiveTurns\": true}")
                .put("/api/afk/kill-switch").then().statusCode(400).contentType("application/problem+json");
        given().header("Authorization", Tokens.operator()).contentType(ContentType.JSON)
                .body("{\"engaged\": true, \"reason\": \"x\", \"interruptActiveTurns\": true}")
                .put("/api/afk/kill-switch").then().statusCode(403);
        given().header("Authorization", Tokens.viewer()).get("/api/afk/kill-switch").then().statusCode(200)
                .body("engaged", org.hamcrest.Matchers.is(false));
    }

    @Test
    void underLoadNoExecutorCommandFollowsTheAcknowledgedEngage() throws Exception {
        List<RepoSlug> repos = new ArrayList<>();
        for (int r = 0; r < 30; r++) {
            RepoSlug repo = enroll("kill-load");
            repos.add(repo);
            readyIssue(repo, 1);
        }
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService instances = Executors.newFixedThreadPool(2);
        List<CompletableFuture<Void>> loops = List.of("instance-a", "instance-b").stream()
                .map(owner -> CompletableFuture.runAsync(() -> {
                    while (!stop.get()) {
                        await(() -> poller.tick());
                        await(() -> reconciler.tick(owner));
                    }
                }, instances))
                .toList();
        int atEngage;
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (startsFor(repos) < 3 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            killSwitch(true);
            atEngage = executor.commandLog().size();
            Thread.sleep(2_000); // both instances keep reconciling, every run is due
        } finally {
            stop.set(true);
            CompletableFuture.allOf(loops.toArray(CompletableFuture[]::new)).get(2, TimeUnit.MINUTES);
            instances.shutdownNow();
        }

        List<String> log = executor.commandLog();
        System.out.printf("kill switch under load: %d executor commands before the engage was acknowledged, %d after%n",
                atEngage, log.size() - atEngage);
        assertThat(log.subList(atEngage, log.size())).isEmpty();
        long dispatched = startsFor(repos);
        assertThat(dispatched).as("work was still waiting when the switch was engaged").isLessThan(repos.size());

        // Released, the held work resumes.
        killSwitch(false);
        clock.advance(Duration.ofSeconds(11));
        ticks(3);
        assertThat(startsFor(repos)).isEqualTo(repos.size());
    }

    private long startsFor(List<RepoSlug> repos) {
        return repos.stream().filter(repo -> !executor.threads(repo).isEmpty()).count();
    }
}
