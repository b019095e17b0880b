package dev.afk.controlplane.e2e;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.afk.controlplane.fakes.CiDoorbellFakes;
import dev.afk.controlplane.fakes.github.FakeGitHubResource;
import dev.afk.controlplane.fakes.github.WebhookPayloads;
import io.quarkus.scheduler.Scheduler;
import io.quarkus.scheduler.Trigger;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Webhooks move the pipeline at once, not at its next scheduled pass: with the poll, the signal
 * drain and the reconcile pass an hour apart, a labelling dispatches the issue and a CI result
 * finishes the run, each within seconds of its delivery.
 */
@QuarkusTest
@TestProfile(EventDrivenPassesTests.PassesAnHourApart.class)
class EventDrivenPassesTests extends EndToEndScenario {

    public static class PassesAnHourApart extends EndToEndProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> overrides = new HashMap<>(super.getConfigOverrides());
            overrides.put("afk.pipeline.ticks-enabled", "true");
            overrides.put("afk.pipeline.poll-every", "1h");
            overrides.put("afk.pipeline.signal-every", "1h");
            overrides.put("afk.pipeline.reconcile-every", "1h");
            return overrides;
        }
    }

    private static final Duration SOON = Duration.ofSeconds(30);

    @Inject
    Scheduler scheduler;

    @Test
    void aLabellingDispatchesAndACiResultFinishesTheRunWithoutWaitingForAScheduledPass() {
        awaitTheFirstScheduledPasses();
        Fixture repo = enroll("events");
        AtomicReference<String> pushed = new AtomicReference<>();
        int issue = readyIssue(repo, "alice");
        agent(repo, turn -> {
            String sha = push(repo, turn, issue, "Print hello on start");
            CiDoorbellFakes.woodpecker().addPipeline(repo.woodpeckerId(), sha, "main", "running");
            pushed.set(sha);
        });

        deliver(WebhookPayloads.issues("labeled", repo.slug().toString(), issue, "ready-for-agent"));
        await().atMost(SOON).until(() -> pushed.get() != null);
        assertThat(runs(repo)).hasSize(1);
        assertThat(commandsFor(repo)).extracting(c -> c.path("type").asText()).contains("thread.create");
        assertThat(turnStarts(run(repo).getString("run.threadId"))).hasSize(1);

        // GitHub announces the agent's push; the run finds the finished turn and its commit (it may
        // have already: a run that moved is looked at again at once).
        deliver(WebhookPayloads.push(repo.slug().toString(), pushed.get()));
        await().atMost(SOON).until(() -> "AWAITING_CI".equals(state(repo)));

        CiDoorbellFakes.woodpecker().addPipeline(repo.woodpeckerId(), pushed.get(), "main", "success");
        deliver(WebhookPayloads.status(repo.slug().toString(), pushed.get(), "success"));
        await().atMost(SOON).until(() -> "DONE".equals(state(repo)));
        assertThat(run(repo).getList("timeline.to", String.class))
                .containsSubsequence("QUEUED", "DISPATCHING", "WORKING", "AWAITING_CI", "DONE");
    }

    /** The scheduled passes first run 5 s after start; from then on only a request can run one. */
    private void awaitTheFirstScheduledPasses() {
        await().atMost(SOON).until(() -> {
            List<Trigger> pipeline = scheduler.getScheduledJobs().stream()
                    .filter(t -> t.getMethodDescription().contains("Poller#") || t.getMethodDescription().contains("Reconciler#"))
                    .toList();
            return pipeline.size() == 3 && pipeline.stream().allMatch(t -> t.getPreviousFireTime() != null);
        });
    }

    private String state(Fixture repo) {
        return String.valueOf(runs(repo).getFirst().get("state"));
    }

    private static void deliver(WebhookPayloads.Delivery delivery) {
        byte[] body = delivery.body().getBytes(StandardCharsets.UTF_8);
        given().contentType("application/json").body(body)
                .header("X-GitHub-Event", delivery.event())
                .header("X-GitHub-Delivery", UUID.randomUUID().toString())
                .header("X-Hub-Signature-256", WebhookPayloads.signature(FakeGitHubResource.WEBHOOK_SECRET, body))
                .post("/webhooks/github").then().statusCode(202);
    }
}
