package dev.afk.controlplane.fakes.slack;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The fake answers as contracts/slack-webhook.md says Slack does. */
class FakeSlackContractTests {

    private static final FakeSlack SLACK = new FakeSlack();

    @AfterAll
    static void stop() {
        SLACK.stop();
    }

    private static HttpResponse<String> post(String path, String contentType, String body) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(SLACK.url() + path))
                .header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void acceptsTextOrBlocksWithAPlainOk() throws Exception {
        HttpResponse<String> response = post(FakeSlack.WEBHOOK_PATH, "application/json", "{\"text\":\"hello\"}");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("ok");
        assertThat(response.headers().firstValue("Content-Type")).contains("text/plain");
        assertThat(post(FakeSlack.WEBHOOK_PATH, "application/json", "{\"blocks\":[]}").statusCode()).isEqualTo(200);
    }

    @Test
    void refusesWhatSlackRefuses() throws Exception {
        assertThat(post(FakeSlack.WEBHOOK_PATH, "application/json", "not json").body()).isEqualTo("invalid_payload");
        assertThat(post(FakeSlack.WEBHOOK_PATH, "application/json", "[1]").statusCode()).isEqualTo(400);
        assertThat(post(FakeSlack.WEBHOOK_PATH, "application/json", "{}").body()).isEqualTo("missing_text_or_fallback_or_attachments");
        HttpResponse<String> revoked = post("/services/T0/B0/revoked", "application/json", "{\"text\":\"x\"}");
        assertThat(revoked.statusCode()).isEqualTo(404);
        assertThat(revoked.body()).isEqualTo("no_service");
    }

    @Test
    void rateLimitsWithRetryAfterSecondsAndFailsOnDemand() throws Exception {
        SLACK.rateLimitNext(7);
        SLACK.failNext(410, "channel_is_archived");

        HttpResponse<String> limited = post(FakeSlack.WEBHOOK_PATH, "application/json", "{\"text\":\"x\"}");
        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(limited.headers().firstValue("Retry-After")).contains("7");
        HttpResponse<String> archived = post(FakeSlack.WEBHOOK_PATH, "application/json", "{\"text\":\"x\"}");
        assertThat(archived.statusCode()).isEqualTo(410);
        assertThat(archived.body()).isEqualTo("channel_is_archived");
    }

    @Test
    void eachWebhookIsItsOwnUrlAndAnswersTheSame() throws Exception {
        String webhook = SLACK.newWebhook();
        String path = URI.create(webhook).getPath();
        assertThat(path).startsWith("/services/").isNotEqualTo(FakeSlack.WEBHOOK_PATH);
        assertThat(post(path, "application/json", "{\"text\":\"for the agent\"}").body()).isEqualTo("ok");
        assertThat(post(path, "application/json", "not json").body()).isEqualTo("invalid_payload");
        SLACK.failNextOn(webhook, 500, "rollup_error");
        assertThat(post(path, "application/json", "{\"text\":\"x\"}").statusCode()).isEqualTo(500);
        assertThat(SLACK.deliveredTo(webhook)).extracting(m -> m.get("text").asText()).containsExactly("for the agent");
        assertThat(post(path + "x", "application/json", "{\"text\":\"x\"}").body()).isEqualTo("no_service");
    }
}
