package dev.afk.controlplane.fakes.slack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.afk.controlplane.fakes.LoopbackHttpFake;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A Slack incoming webhook (contracts/slack-webhook.md): {@code 200 ok} in plain text for a JSON
 * object with text or blocks, {@code 400 invalid_payload} otherwise, {@code 404 no_service} for an
 * unknown webhook; tests can queue refusals (429 with Retry-After, 5xx, 404, 410).
 */
public class FakeSlack extends LoopbackHttpFake {

    public static final String WEBHOOK_PATH = "/services/T0AFK/B0DOORBELL/secretpart";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<JsonNode> delivered = new CopyOnWriteArrayList<>();
    private final Queue<Response> refusals = new ConcurrentLinkedQueue<>();
    /** Further webhooks (each its own URL, as Slack makes one per channel), by path. */
    private final Map<String, List<JsonNode>> others = new ConcurrentHashMap<>();
    private final Map<String, Queue<Response>> otherRefusals = new ConcurrentHashMap<>();

    public String webhookUrl() {
        return url() + WEBHOOK_PATH;
    }

    /** A new webhook of its own; its messages are {@link #deliveredTo}, not {@link #delivered}. */
    public String newWebhook() {
        String path = "/services/T0AFK/B" + UUID.randomUUID().toString().substring(0, 8).toUpperCase(Locale.ROOT) + "/"
                + UUID.randomUUID().toString().replace("-", "");
        others.put(path, new CopyOnWriteArrayList<>());
        otherRefusals.put(path, new ConcurrentLinkedQueue<>());
        return url() + path;
    }

    /** The messages the webhook made by {@link #newWebhook} accepted, in order. */
    public List<JsonNode> deliveredTo(String webhookUrl) {
        return List.copyOf(others.getOrDefault(URI.create(webhookUrl).getPath(), List.of()));
    }

    /** The next message to that webhook is refused so. */
    public void failNextOn(String webhookUrl, int status, String error) {
        otherRefusals.get(URI.create(webhookUrl).getPath()).add(Response.text(status, error));
    }

    /** The messages Slack accepted, in order. */
    public List<JsonNode> delivered() {
        return List.copyOf(delivered);
    }

    public void clear() {
        delivered.clear();
        refusals.clear();
        clearRequests();
    }

    public void rateLimitNext(int retryAfterSeconds) {
        refusals.add(Response.json(429, "{\"ok\":false,\"error\":\"rate_limited\"}")
                .withHeaders(Map.of("Retry-After", Integer.toString(retryAfterSeconds))));
    }

    public void failNext(int status, String error) {
        refusals.add(Response.text(status, error));
    }

    @Override
    protected Response handle(Request request) {
        if (!request.method().equals("POST") || !request.path().startsWith("/services/")) {
            return Response.text(404, "no_service");
        }
        boolean install = request.path().equals(WEBHOOK_PATH);
        if (!install && !others.containsKey(request.path())) {
            return Response.text(404, "no_service");
        }
        JsonNode body;
        try {
            body = JSON.readTree(request.body());
        } catch (Exception e) {
            return Response.text(400, "invalid_payload");
        }
        if (body == null || !body.isObject() || !String.valueOf(request.header("Content-Type")).startsWith("application/json")) {
            return Response.text(400, "invalid_payload");
        }
        if (!body.hasNonNull("text") && !body.hasNonNull("blocks")) {
            return Response.text(400, "missing_text_or_fallback_or_attachments");
        }
        Response refusal = install ? refusals.poll() : otherRefusals.get(request.path()).poll();
        if (refusal != null) {
            return refusal;
        }
        (install ? delivered : others.get(request.path())).add(body);
        return Response.text(200, "ok");
    }
}
