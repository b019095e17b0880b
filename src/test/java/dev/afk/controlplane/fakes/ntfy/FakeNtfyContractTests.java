package dev.afk.controlplane.fakes.ntfy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The fake answers as contracts/ntfy-publish.md says ntfy does. */
class FakeNtfyContractTests {

    private static final FakeNtfy NTFY = new FakeNtfy();
    private static final ObjectMapper JSON = new ObjectMapper();

    @AfterAll
    static void stop() {
        NTFY.stop();
    }

    private static HttpResponse<String> publish(String path, String body, boolean withToken) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(NTFY.url() + path))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (withToken) {
            request.header("Authorization", "Bearer " + FakeNtfy.TOKEN);
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static int code(HttpResponse<String> response) throws Exception {
        return JSON.readTree(response.body()).get("code").asInt();
    }

    @Test
    void aJsonPublishToTheRootReturnsTheStoredMessage() throws Exception {
        HttpResponse<String> response = publish("/", "{\"topic\":\"afk\",\"title\":\"t\",\"message\":\"m\",\"priority\":4,"
                + "\"tags\":[\"afk\"],\"click\":\"https://t3.example.org/?thread=1\"}", true);

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode message = JSON.readTree(response.body());
        assertThat(message.get("event").asText()).isEqualTo("message");
        assertThat(message.get("priority").asInt()).isEqualTo(4);
        assertThat(message.has("id") && message.has("time") && message.has("expires")).isTrue();
    }

    @Test
    void errorsCarryNtfysCodes() throws Exception {
        assertThat(code(publish("/", "{\"topic\":\"no spaces allowed\"}", true))).isEqualTo(40009);
        assertThat(code(publish("/", "{\"topic\":\"afk\",\"priority\":9}", true))).isEqualTo(40007);
        assertThat(code(publish("/", "{\"topic\":\"afk\",\"priority\":\"high\"}", true))).isEqualTo(40007);
        assertThat(code(publish("/", "not json", true))).isEqualTo(40024);
        assertThat(code(publish("/", "[1,2]", true))).isEqualTo(40017);
        assertThat(publish("/", "{\"topic\":\"afk\"}", false).statusCode()).isEqualTo(401);
        assertThat(publish("/afk", "{\"topic\":\"afk\"}", true).statusCode()).as("JSON goes to the root").isEqualTo(404);
    }

    @Test
    void refusalsCanBeQueued() throws Exception {
        NTFY.failNext(429, 42901, "limit reached: too many requests");
        HttpResponse<String> limited = publish("/", "{\"topic\":\"afk\"}", true);
        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(code(limited)).isEqualTo(42901);
    }

    @Test
    void aRefusalCanBeQueuedForOneTopic() throws Exception {
        NTFY.failNextOn("agent-topic", 503, 50301, "service unavailable");
        assertThat(publish("/", "{\"topic\":\"other-topic\",\"message\":\"m\"}", true).statusCode()).isEqualTo(200);
        HttpResponse<String> refused = publish("/", "{\"topic\":\"agent-topic\",\"message\":\"m\"}", true);
        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(code(refused)).isEqualTo(50301);
        assertThat(publish("/", "{\"topic\":\"agent-topic\",\"message\":\"again\"}", true).statusCode()).isEqualTo(200);
        assertThat(NTFY.publishedTo("agent-topic")).extracting(m -> m.get("message").asText()).containsExactly("again");
    }
}
