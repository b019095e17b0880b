package dev.afk.controlplane.afk.scenarios;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.afk.controlplane.ci.CiVerdicts.Outcome;
import dev.afk.controlplane.common.RepoSlug;
import dev.afk.controlplane.fakes.github.FakeGitHubResource;
import dev.afk.controlplane.fakes.github.WebhookPayloads;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Events reach the active run: a run waiting on CI is looked at again only after its cadence, unless
 * a webhook about its repository (push, check_run, check_suite, workflow_run, status) brings it
 * forward, durably through the signal queue, or it has just changed state.
 */
@QuarkusTest
@TestProfile(EventPathTests.RealCadence.class)
class EventPathTests extends PipelineScenario {

    static final Duration AWAITING_CI = Duration.ofMinutes(10);

    public static class RealCadence implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("afk.pipeline.cadence.awaiting-ci", AWAITING_CI.toMinutes() + "m");
        }
    }

    /** A run in AWAITING_CI that found its CI pending and whose CI has since turned green, not yet asked again. */
    private String awaitingGreenCi(RepoSlug repo, int issue, String sha) {
        working(repo, issue);
        agentPushes(repo, sha);
        ci.script(sha, Outcome.PENDING, Outcome.GREEN);
        tick();
        assertThat(state(repo)).isEqualTo("AWAITING_CI");
        reconcile(); // a run that changed state is looked at again at once: CI is pending
        reconcile();
        assertThat(state(repo)).as("the run waits for its cadence").isEqualTo("AWAITING_CI");
        assertThat(ci.asked()).filteredOn(t -> t.sha().equals(sha)).hasSize(1);
        return sha;
    }

    @Test
    void aCiResultThatCameWhileTheAgentWorkedIsJudgedAtTheNextPass() {
        RepoSlug repo = enroll("early-ci");
        working(repo, 6);
        agentPushes(repo, "ddd6666");
        ci.script("ddd6666", Outcome.GREEN);
        tick();
        assertThat(state(repo)).isEqualTo("AWAITING_CI");

        reconcile();

        assertThat(state(repo)).as("not after the AWAITING_CI cadence").isEqualTo("DONE");
    }

    @Test
    void aCheckRunWebhookMovesTheActiveRunWithinOneReconcile() {
        RepoSlug repo = enroll("event");
        String sha = awaitingGreenCi(repo, 7, "eee7777");

        checkRunWebhook(repo);

        poll(); // drains the signal: the repository's run is due now
        reconcile();

        assertThat(state(repo)).isEqualTo("DONE");
        assertThat(ci.asked()).filteredOn(t -> t.sha().equals(sha)).hasSize(2);
    }

    @Test
    void withoutAnEventTheTickStillMovesTheRunAfterItsCadence() {
        RepoSlug repo = enroll("no-event");
        awaitingGreenCi(repo, 8, "fff8888");

        clock.advance(AWAITING_CI.minusSeconds(1));
        tick();
        assertThat(state(repo)).isEqualTo("AWAITING_CI");
        clock.advance(Duration.ofSeconds(1));
        tick();
        assertThat(state(repo)).isEqualTo("DONE");
    }

    @Test
    void anEventDoesNotCutShortTheBackOffOfAFailedEffect() {
        RepoSlug repo = enroll("backing-off");
        readyIssue(repo, 9);
        executor.failStarts(repo, 1);
        tick();
        assertThat(state(repo)).isEqualTo("DISPATCHING");
        assertThat(executor.threads(repo)).isEmpty();

        checkRunWebhook(repo);
        poll();
        reconcile();
        assertThat(executor.threads(repo)).as("the failed start waits out its back-off").isEmpty();

        clock.advanceMinutes(1);
        reconcile();
        assertThat(executor.threads(repo)).hasSize(1);
        assertThat(state(repo)).isEqualTo("WORKING");
    }

    private static void checkRunWebhook(RepoSlug repo) {
        WebhookPayloads.Delivery checkRun = WebhookPayloads.checkRunCompleted(repo.toString());
        byte[] body = checkRun.body().getBytes(StandardCharsets.UTF_8);
        given().contentType("application/json").body(body)
                .header("X-GitHub-Event", checkRun.event())
                .header("X-GitHub-Delivery", UUID.randomUUID().toString())
                .header("X-Hub-Signature-256", WebhookPayloads.signature(FakeGitHubResource.WEBHOOK_SECRET, body))
                .post("/webhooks/github").then().statusCode(202);
    }
}
