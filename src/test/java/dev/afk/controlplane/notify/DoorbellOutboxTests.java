package dev.afk.controlplane.notify;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.containsString;

import com.fasterxml.jackson.databind.JsonNode;
import dev.afk.controlplane.common.RepoSlug;
import dev.afk.controlplane.fakes.CiDoorbellFakes;
import dev.afk.controlplane.fakes.ntfy.FakeNtfy;
import dev.afk.controlplane.fakes.slack.FakeSlack;
import dev.afk.controlplane.notify.Doorbell.Delivery;
import dev.afk.controlplane.notify.Doorbell.DeliveryState;
import dev.afk.controlplane.notify.Doorbell.Kind;
import dev.afk.controlplane.notify.Doorbell.Ring;
import dev.afk.controlplane.notify.Doorbell.Route;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/** The outbox end to end: rings recorded, delivered by the worker to the fake Slack and ntfy. */
@QuarkusTest
class DoorbellOutboxTests {

    private static final Duration DELIVERY = Duration.ofSeconds(30);

    @Inject
    DoorbellOutbox doorbell;

    private final FakeSlack slack = CiDoorbellFakes.slack();
    private final FakeNtfy ntfy = CiDoorbellFakes.ntfy();

    private static Ring ring(String runId, Kind kind) {
        return new Ring(runId + ":" + kind, kind, RepoSlug.parse("acme/web"), 42, runId, "title of " + runId,
                "why " + runId, URI.create("https://t3.example.org/?thread=" + runId));
    }

    private static String newRun() {
        return "run-" + UUID.randomUUID();
    }

    private List<Delivery> deliveries(String runId) {
        return doorbell.deliveries(runId).await().atMost(Duration.ofSeconds(10));
    }

    private void ring(Ring ring, Route route) {
        doorbell.ring(ring, route).await().atMost(Duration.ofSeconds(10));
    }

    private long slackMessagesAbout(String runId) {
        return slack.delivered().stream().filter(m -> m.get("text").asText().contains(runId)).count();
    }

    private long ntfyMessagesAbout(String runId) {
        return ntfy.published().stream().filter(m -> m.get("title").asText().contains(runId)).count();
    }

    private void awaitAll(String runId, DeliveryState state) {
        Awaitility.await().atMost(DELIVERY).untilAsserted(() ->
                assertThat(deliveries(runId)).isNotEmpty().allMatch(d -> d.state() == state));
    }

    @Test
    void aRingIsDeliveredToEveryChannelOnceAndItsStateIsVisibleByRun() {
        String run = newRun();

        ring(ring(run, Kind.DONE), Route.INSTALL);
        ring(ring(run, Kind.DONE), Route.INSTALL);

        awaitAll(run, DeliveryState.DELIVERED);
        List<Delivery> deliveries = deliveries(run);
        assertThat(deliveries).extracting(Delivery::channel).containsExactlyInAnyOrder("slack", "ntfy");
        assertThat(deliveries).allSatisfy(d -> {
            assertThat(d.dedupKey()).isEqualTo(run + ":DONE");
            assertThat(d.kind()).isEqualTo(Kind.DONE);
            assertThat(d.attempts()).isEqualTo(1);
            assertThat(d.deliveredAt()).isNotNull();
            assertThat(d.lastError()).isNull();
        });
        assertThat(slackMessagesAbout(run)).as("deduplicated").isEqualTo(1);
        assertThat(ntfyMessagesAbout(run)).isEqualTo(1);
        JsonNode published = ntfy.published().stream().filter(m -> m.get("title").asText().contains(run)).findFirst().orElseThrow();
        assertThat(published.get("priority").asInt()).isEqualTo(2);
    }

    @Test
    void slacksRetryAfterIsHonouredAndTheRingStillArrives() {
        String run = newRun();
        slack.rateLimitNext(2);

        ring(ring(run, Kind.NEEDS_HUMAN), Route.INSTALL);

        Awaitility.await().atMost(DELIVERY).untilAsserted(() -> assertThat(deliveries(run))
                .filteredOn(d -> d.channel().equals("slack")).singleElement()
                .satisfies(d -> assertThat(d.lastError()).startsWith("HTTP 429")));
        Delivery limited = deliveries(run).stream().filter(d -> d.channel().equals("slack")).findFirst().orElseThrow();
        assertThat(limited.state()).isEqualTo(DeliveryState.PENDING);
        assertThat(limited.attempts()).isEqualTo(1);
        assertThat(slackMessagesAbout(run)).isZero();

        awaitAll(run, DeliveryState.DELIVERED);
        assertThat(deliveries(run)).filteredOn(d -> d.channel().equals("slack")).singleElement()
                .satisfies(d -> assertThat(d.attempts()).isEqualTo(2))
                .satisfies(d -> assertThat(d.deliveredAt()).isAfterOrEqualTo(limited.nextAttemptAt()));
        assertThat(slack.requests().stream().filter(r -> r.body().contains(run)).count()).as("no send while held back").isEqualTo(2);
    }

    @Test
    void transientFailuresAreRetriedWithBackOffUntilDelivered() {
        String run = newRun();
        ntfy.failNext(503, 50301, "service unavailable");
        ntfy.failNext(500, 50001, "internal server error");

        ring(ring(run, Kind.FROZEN), Route.INSTALL);

        awaitAll(run, DeliveryState.DELIVERED);
        assertThat(deliveries(run)).filteredOn(d -> d.channel().equals("ntfy")).singleElement()
                .satisfies(d -> assertThat(d.attempts()).isEqualTo(3));
        assertThat(ntfyMessagesAbout(run)).isEqualTo(1);
    }

    @Test
    void aPermanentRefusalIsFailedNotRetriedAndShowsItsError() {
        String run = newRun();
        slack.failNext(404, "no_service");

        ring(ring(run, Kind.NEEDS_HUMAN), new Route(null, null, false, null));

        awaitAll(run, DeliveryState.FAILED);
        assertThat(deliveries(run)).singleElement().satisfies(d -> {
            assertThat(d.channel()).isEqualTo("slack");
            assertThat(d.attempts()).isEqualTo(1);
            assertThat(d.lastError()).isEqualTo("HTTP 404 no_service");
        });
        int management = ConfigProvider.getConfig().getValue("quarkus.management.test-port", Integer.class);
        given().get("http://localhost:" + management + "/q/metrics").then().statusCode(200)
                .body(containsString("afk_doorbell_deliveries_total{channel=\"slack\",outcome=\"failed\"}"));
    }

    @Test
    void aRepositorysRouteChoosesItsChannels() {
        String run = newRun();

        ring(ring(run, Kind.DONE), new Route(false, null, null, "team-b"));

        awaitAll(run, DeliveryState.DELIVERED);
        assertThat(deliveries(run)).extracting(Delivery::channel).containsExactly("ntfy");
        assertThat(ntfy.published().stream().filter(m -> m.get("title").asText().contains(run)))
                .singleElement().satisfies(m -> assertThat(m.get("topic").asText()).isEqualTo("team-b"));
        assertThat(slackMessagesAbout(run)).isZero();
    }

    @Test
    void ringingNeverWaitsForAChannel() {
        String run = newRun();
        for (int i = 0; i < 3; i++) {
            slack.failNext(500, "rollup_error");
        }

        ring(ring(run, Kind.NEEDS_HUMAN), Route.INSTALL);

        assertThat(deliveries(run)).as("recorded for both channels, sent later").hasSize(2);
        awaitAll(run, DeliveryState.DELIVERED);
        assertThat(deliveries(run)).filteredOn(d -> d.channel().equals("slack")).singleElement()
                .satisfies(d -> assertThat(d.attempts()).isEqualTo(4));
    }

    @Test
    void aRingWithoutDedupKeyIsRefused() {
        assertThatThrownBy(() -> doorbell.ring(new Ring(" ", Kind.DONE,
                        RepoSlug.parse("acme/web"), 1, "r", "t", "m", null)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
