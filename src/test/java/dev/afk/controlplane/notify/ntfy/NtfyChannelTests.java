package dev.afk.controlplane.notify.ntfy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.afk.controlplane.common.RepoSlug;
import dev.afk.controlplane.fakes.CiDoorbellFakes;
import dev.afk.controlplane.fakes.ntfy.FakeNtfy;
import dev.afk.controlplane.notify.DeliveryAttempt;
import dev.afk.controlplane.notify.DeliveryAttempt.Delivered;
import dev.afk.controlplane.notify.DeliveryAttempt.Rejected;
import dev.afk.controlplane.notify.DeliveryAttempt.Retry;
import dev.afk.controlplane.notify.Doorbell.Kind;
import dev.afk.controlplane.notify.Doorbell.Route;
import dev.afk.controlplane.notify.Notice;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

@QuarkusTest
class NtfyChannelTests {

    @Inject
    NtfyChannel ntfy;

    private final FakeNtfy fake = CiDoorbellFakes.ntfy();

    private static Notice notice(Kind kind, String title) {
        return new Notice(kind, RepoSlug.parse("acme/web"), 7, title, "", URI.create("https://t3.example.org/?thread=th-7"),
                URI.create("https://github.com/acme/web/issues/7"));
    }

    private DeliveryAttempt deliver(Notice notice, Optional<String> topic) {
        return ntfy.deliver(notice, topic).await().atMost(Duration.ofSeconds(20));
    }

    private JsonNode publishedWith(String title) {
        return fake.published().stream().filter(m -> m.get("title").asText().contains(title)).findFirst().orElseThrow();
    }

    @ParameterizedTest(name = "{0} -> priority {1}")
    @CsvSource({"DONE, 2, done", "NEEDS_HUMAN, 4, needs-human", "FROZEN, 5, frozen"})
    void priorityAndTagsFollowTheKind(Kind kind, int priority, String tag) {
        String title = "ring " + UUID.randomUUID();

        assertThat(deliver(notice(kind, title), Optional.empty())).isInstanceOf(Delivered.class);

        JsonNode message = publishedWith(title);
        assertThat(message.get("topic").asText()).isEqualTo("afk-install");
        assertThat(message.get("priority").asInt()).isEqualTo(priority);
        assertThat(message.get("tags")).extracting(JsonNode::asText).contains("afk", tag);
        assertThat(message.get("click").asText()).isEqualTo("https://t3.example.org/?thread=th-7");
        assertThat(message.get("message").asText()).as("the title when there is no message").endsWith(title);
        assertThat(message.at("/actions/0/url").asText()).isEqualTo("https://github.com/acme/web/issues/7");
    }

    @Test
    void theTokenIsSentAsBearerAndARepositoryMayNameItsTopic() {
        String title = "ring " + UUID.randomUUID();

        assertThat(deliver(notice(Kind.DONE, title), Optional.of("team-b"))).isInstanceOf(Delivered.class);

        assertThat(publishedWith(title).get("topic").asText()).isEqualTo("team-b");
        assertThat(fake.requests()).allMatch(r -> ("Bearer " + FakeNtfy.TOKEN).equals(r.header("Authorization")));
    }

    @Test
    void limitsAndServerErrorsAreRetriedBadRequestsAreNot() {
        fake.failNext(429, 42901, "limit reached: too many requests");
        fake.failNext(503, 50301, "service unavailable");
        fake.failNext(400, 40007, "invalid request: priority invalid");

        assertThat(deliver(notice(Kind.DONE, "a"), Optional.empty())).isInstanceOf(Retry.class);
        assertThat(deliver(notice(Kind.DONE, "b"), Optional.empty())).isInstanceOf(Retry.class);
        assertThat(deliver(notice(Kind.DONE, "c"), Optional.empty()))
                .isEqualTo(new Rejected("HTTP 400 (40007 invalid request: priority invalid)"));
    }

    @Test
    void aTopicNtfyWouldRefuseIsNeverSent() {
        int before = fake.requests().size();
        assertThat(deliver(notice(Kind.DONE, "x"), Optional.of("no spaces"))).isInstanceOf(Rejected.class);
        assertThat(fake.requests()).hasSize(before);
    }

    @Test
    void aRepositoryCanSwitchNtfyOff() {
        assertThat(ntfy.enabled(Route.INSTALL)).isTrue();
        assertThat(ntfy.enabled(new Route(null, null, false, "team-b"))).isFalse();
        assertThat(ntfy.destination(new Route(null, null, null, "team-b"))).contains("team-b");
    }
}
