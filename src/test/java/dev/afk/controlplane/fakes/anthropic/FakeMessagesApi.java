package dev.afk.controlplane.fakes.anthropic;

import com.anthropic.core.ObjectMappers;
import com.anthropic.models.ErrorResponse;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.afk.controlplane.fakes.LoopbackHttpFake;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A stateful fake of the Messages API ({@code POST /v1/messages}). Every request must parse as the
 * SDK's own {@link MessageCreateParams.Body} and carry the suite's API key; every answer it sends
 * is first parsed back by the SDK ({@link Message}, {@link ErrorResponse}), so its shapes are the
 * SDK's. Tests script what comes next: tool answers, plain text (no tool call), overload (529),
 * rate limits (429 with {@code retry-after}), server errors; with nothing scripted it answers with
 * {@link #whenIdle}.
 */
public class FakeMessagesApi extends LoopbackHttpFake {

    public static final String API_KEY = "fake-model-suite-key";
    private static final JsonMapper SDK = ObjectMappers.jsonMapper();

    private final Deque<Function<MessageCreateParams.Body, Response>> script = new ArrayDeque<>();
    private final AtomicInteger ids = new AtomicInteger();
    private volatile Function<MessageCreateParams.Body, Response> whenIdle = body -> overloaded(null);

    /** What to answer when nothing is scripted. */
    public synchronized FakeMessagesApi whenIdle(Function<MessageCreateParams.Body, Response> answer) {
        whenIdle = answer;
        return this;
    }

    public synchronized FakeMessagesApi then(Function<MessageCreateParams.Body, Response> answer) {
        script.addLast(answer);
        return this;
    }

    public synchronized void reset() {
        script.clear();
        whenIdle = body -> overloaded(null);
        clearRequests();
    }

    /** Requests that reached {@code /v1/messages}. */
    public List<Request> calls() {
        return requests().stream().filter(r -> r.path().equals("/v1/messages")).toList();
    }

    @Override
    protected Response handle(Request request) {
        if (!request.method().equals("POST") || !request.path().equals("/v1/messages")) {
            return error(404, "not_found_error", "No such route: " + request.path());
        }
        // The SDK authenticates with x-api-key or a bearer token; either must carry the suite's key.
        boolean keyed = API_KEY.equals(request.header("x-api-key")) || ("Bearer " + API_KEY).equals(request.header("authorization"));
        if (!keyed || request.header("anthropic-version") == null) {
            return error(401, "authentication_error", "invalid x-api-key");
        }
        MessageCreateParams.Body body;
        try {
            body = SDK.readValue(request.body(), MessageCreateParams.Body.class).validate();
        } catch (Exception e) {
            return error(400, "invalid_request_error", "The request does not parse: " + e.getMessage());
        }
        Function<MessageCreateParams.Body, Response> next;
        synchronized (this) {
            next = script.isEmpty() ? whenIdle : script.removeFirst();
        }
        return next.apply(body);
    }

    // --- answers -------------------------------------------------------------------------------

    /** The model calls the forced tool with {@code input}. */
    public Response toolAnswer(MessageCreateParams.Body request, Map<String, Object> input, long inputTokens, long outputTokens) {
        String tool = request.toolChoice().flatMap(choice -> choice.tool()).map(t -> t.name()).orElse("answer");
        return message(request, List.of(Map.of("type", "tool_use", "id", "toolu_" + ids.incrementAndGet(), "name", tool,
                "input", input)), "tool_use", inputTokens, outputTokens);
    }

    /** The model talks instead of calling the tool. */
    public Response textAnswer(MessageCreateParams.Body request, String text) {
        return message(request, List.of(Map.of("type", "text", "text", text)), "end_turn", 40, 12);
    }

    private Response message(MessageCreateParams.Body request, List<Map<String, Object>> content, String stopReason,
            long inputTokens, long outputTokens) {
        Map<String, Object> usage = new LinkedHashMap<>();
        usage.put("input_tokens", inputTokens);
        usage.put("output_tokens", outputTokens);
        usage.put("cache_creation_input_tokens", 0);
        usage.put("cache_read_input_tokens", 0);
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("id", "msg_fake_" + ids.incrementAndGet());
        message.put("type", "message");
        message.put("role", "assistant");
        message.put("model", request.model().asString());
        message.put("content", content);
        message.put("stop_reason", stopReason);
        message.put("stop_sequence", null);
        message.put("usage", usage);
        return checked(200, message, Message.class, Map.of("request-id", "req_fake_" + ids.get()));
    }

    public static Response overloaded(MessageCreateParams.Body ignored) {
        return error(529, "overloaded_error", "Overloaded");
    }

    public static Response rateLimited(String retryAfterSeconds) {
        return error(429, "rate_limit_error", "Number of request tokens has exceeded your per-minute rate limit")
                .withHeaders(Map.of("retry-after", retryAfterSeconds));
    }

    public static Response serverError() {
        return error(500, "api_error", "Internal server error");
    }

    public static Response error(int status, String type, String text) {
        return checked(status, Map.of("type", "error", "error", Map.of("type", type, "message", text),
                "request_id", "req_fake_error"), ErrorResponse.class, Map.of());
    }

    /** Serialises an answer, and lets the SDK parse and validate it before it is sent. */
    private static Response checked(int status, Map<String, Object> body, Class<?> sdkType, Map<String, String> headers) {
        try {
            String json = SDK.writeValueAsString(body);
            Object parsed = SDK.readValue(json, sdkType);
            parsed.getClass().getMethod("validate").invoke(parsed);
            return Response.json(status, json).withHeaders(headers);
        } catch (JsonProcessingException | ReflectiveOperationException e) {
            throw new IllegalStateException("The fake's answer is not the SDK's " + sdkType.getSimpleName() + ": " + e, e);
        }
    }
}
