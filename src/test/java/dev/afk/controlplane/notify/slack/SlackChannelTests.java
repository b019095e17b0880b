package dev.afk.controlplane.notify.slack;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.afk.controlplane.common.RepoSlug;
import dev.afk.controlplane.fakes.CiDoorbellFakes;
import dev.afk.controlplane.fakes.slack.FakeSlack;
import dev.afk.controlplane.notify.DeliveryAttempt;
import dev.afk.controlplane.notify.DeliveryAttempt.Delivered;
import dev.afk.controlplane.notify.DeliveryAttempt.Rejected;
import dev.afk.controlplane.notify.DeliveryAttempt.Retry;
import dev.afk.controlplane.notify.Doorbell.Kind;
import dev.afk.controlplane.notify.Doorbell.Route;
import dev.afk.controlplane.notify.Notice;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
class SlackChannelTests {

    @Inject
    SlackChannel slack;

    private final FakeSlack fake = CiDoorbellFakes.slack();

    /** A webhook file of its own per test, so one test's 429 does not hold back another's sends. */
    private static Optional<String> webhook(String url) throws IOException {
        Path file = Files.createTempFile("slack-webhook", ".url");
        Files.writeString(file, url);
        return Optional.of(file.toString());
    }

    private static Notice notice(String title) {
        return new Notice(Kind.FROZEN, RepoSlug.parse("acme/web"), 42, title, "CI is red after 5 fix-forward attempts <see logs>",
                URI.create("https://t3.example.org/?thread=th-1"), URI.create("https://github.com/acme/web/issues/42"));
    }

    private DeliveryAttempt deliver(Notice notice, Optional<String> destination) {
        return slack.deliver(notice, destination).await().atMost(Duration.ofSeconds(20));
    }

    private JsonNode deliveredWith(String title) {
        return fake.delivered().stream().filter(m -> m.get("text").asText().contains(title)).findFirst().orElseThrow();
    }

    @Test
    void aMessageCarriesTitleIssueStateReasonAndDeepLinks() throws IOException {
        String title = "frozen " + UUID.randomUUID();

        assertThat(deliver(notice(title), webhook(fake.webhookUrl()))).isInstanceOf(Delivered.class);

        JsonNode message = deliveredWith(title);
        assertThat(message.get("text").asText()).isEqualTo("[Frozen] acme/web#42: " + title);
        JsonNode blocks = message.get("blocks");
        assertThat(blocks.get(0).get("type").asText()).isEqualTo("header");
        assertThat(blocks.get(0).at("/text/text").asText()).isEqualTo(title);
        assertThat(blocks.get(1).at("/fields/0/text").asText()).isEqualTo("*Issue*\n<https://github.com/acme/web/issues/42|acme/web#42>");
        assertThat(blocks.get(1).at("/fields/1/text").asText()).isEqualTo("*State*\nFrozen");
        assertThat(blocks.get(2).at("/text/text").asText()).isEqualTo("CI is red after 5 fix-forward attempts &lt;see logs&gt;");
        assertThat(blocks.get(3).at("/elements/0/url").asText()).isEqualTo("https://t3.example.org/?thread=th-1");
        assertThat(blocks.get(3).at("/elements/1/url").asText()).isEqualTo("https://github.com/acme/web/issues/42");
    }

    @Test
    void a429HoldsTheWebhookBackForItsRetryAfter() throws IOException {
        Optional<String> webhook = webhook(fake.webhookUrl());
        fake.rateLimitNext(30);

        DeliveryAttempt limited = deliver(notice("limited"), webhook);
        int requests = fake.requests().size();
        DeliveryAttempt heldBack = deliver(notice("held back"), webhook);

        assertThat(limited).isInstanceOfSatisfying(Retry.class, r -> assertThat(r.notBefore()).contains(Duration.ofSeconds(30)));
        assertThat(heldBack).isInstanceOfSatisfying(Retry.class, r -> assertThat(r.notBefore().orElseThrow())
                .isPositive().isLessThanOrEqualTo(Duration.ofSeconds(30)));
        assertThat(fake.requests()).as("nothing sent while held back").hasSize(requests);
    }

    @Test
    void serverErrorsAreRetriedAndPermanentRefusalsAreNot() throws IOException {
        Optional<String> webhook = webhook(fake.webhookUrl());
        fake.failNext(500, "rollup_error");
        fake.failNext(410, "channel_is_archived");

        assertThat(deliver(notice("a"), webhook)).isEqualTo(new Retry("HTTP 500 rollup_error", Optional.empty()));
        assertThat(deliver(notice("b"), webhook)).isEqualTo(new Rejected("HTTP 410 channel_is_archived"));
        assertThat(deliver(notice("c"), webhook(fake.url() + "/services/T0/B0/revoked")))
                .isEqualTo(new Rejected("HTTP 404 no_service"));
    }

    @Test
    void errorsNeverQuoteTheWebhookUrl() throws IOException {
        DeliveryAttempt unreachable = deliver(notice("x"), webhook("http://127.0.0.1:1/services/T0/B0/topsecret"));
        assertThat(unreachable).isInstanceOfSatisfying(Retry.class, r -> assertThat(r.error()).doesNotContain("topsecret"));
    }

    @Test
    void aRepositoryCanSwitchSlackOffOrSendElsewhere() {
        assertThat(slack.enabled(Route.INSTALL)).isTrue();
        assertThat(slack.destination(Route.INSTALL)).isEmpty();
        assertThat(slack.enabled(new Route(false, null, null, null))).isFalse();
        Route elsewhere = new Route(null, Path.of("/etc/afk/slack/team-b"), null, null);
        assertThat(slack.destination(elsewhere)).contains("/etc/afk/slack/team-b");
    }
}
