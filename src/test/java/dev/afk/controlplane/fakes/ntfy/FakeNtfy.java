package dev.afk.controlplane.fakes.ntfy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.afk.controlplane.fakes.LoopbackHttpFake;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;

/**
 * An ntfy server's JSON publish (contracts/ntfy-publish.md): POST/PUT to the root, topic and
 * priority validated with ntfy's error codes, bearer token required, the stored message returned;
 * tests can queue refusals (429, 5xx).
 */
public class FakeNtfy extends LoopbackHttpFake {

    public static final String TOKEN = "tk_fake_ntfy_token";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern TOPIC = Pattern.compile("^[-_A-Za-z0-9]{1,64}$");

    private final List<JsonNode> published = new CopyOnWriteArrayList<>();
    private final Queue<Response> refusals = new ConcurrentLinkedQueue<>();
    private final Map<String, Queue<Response>> topicRefusals = new ConcurrentHashMap<>();

    /** The messages ntfy accepted, in order. */
    public List<JsonNode> published() {
        return List.copyOf(published);
    }

    /** The messages ntfy accepted for one topic, in order. */
    public List<JsonNode> publishedTo(String topic) {
        return published.stream().filter(m -> topic.equals(m.path("topic").asText())).toList();
    }

    /** The next publish to that topic is refused so. */
    public void failNextOn(String topic, int status, int code, String error) {
        topicRefusals.computeIfAbsent(topic, t -> new ConcurrentLinkedQueue<>()).add(error(status, code, error));
    }

    public void clear() {
        published.clear();
        refusals.clear();
        clearRequests();
    }

    public void failNext(int status, int code, String error) {
        refusals.add(error(status, code, error));
    }

    @Override
    protected Response handle(Request request) {
        if (!request.path().equals("/") || !(request.method().equals("POST") || request.method().equals("PUT"))) {
            return error(404, 40401, "page not found");
        }
        if (!("Bearer " + TOKEN).equals(request.header("Authorization"))) {
            return error(401, 40101, "unauthorized");
        }
        JsonNode body;
        try {
            body = JSON.readTree(request.body());
        } catch (Exception e) {
            return error(400, 40024, "invalid request: request body must be valid JSON");
        }
        if (body == null || !body.isObject()) {
            return error(400, 40017, "invalid request: request body must be message JSON");
        }
        if (!body.path("topic").isTextual() || !TOPIC.matcher(body.get("topic").asText()).matches()) {
            return error(400, 40009, "invalid request: topic invalid");
        }
        JsonNode priority = body.path("priority");
        if (!priority.isMissingNode() && (!priority.isInt() || priority.asInt() < 0 || priority.asInt() > 5)) {
            return error(400, 40007, "invalid request: priority invalid");
        }
        Queue<Response> forTopic = topicRefusals.get(body.get("topic").asText());
        Response refusal = forTopic != null && !forTopic.isEmpty() ? forTopic.poll() : refusals.poll();
        if (refusal != null) {
            return refusal;
        }
        published.add(body);
        ObjectNode message = JSON.createObjectNode().put("id", UUID.randomUUID().toString().substring(0, 12))
                .put("time", Instant.now().getEpochSecond()).put("expires", Instant.now().plusSeconds(43200).getEpochSecond())
                .put("event", "message").put("topic", body.get("topic").asText());
        for (String field : List.of("title", "message", "priority", "tags", "click", "actions")) {
            if (body.has(field) && !(field.equals("priority") && body.get(field).asInt() == 0)) {
                message.set(field, body.get(field));
            }
        }
        return Response.json(200, message.toString());
    }

    private static Response error(int status, int code, String error) {
        return Response.json(status, JSON.createObjectNode().put("code", code).put("http", status).put("error", error)
                .put("link", "https://ntfy.sh/docs/publish/").toString());
    }
}
