package dev.afk.controlplane.model.anthropic;

import com.anthropic.client.AnthropicClientAsync;
import com.anthropic.client.okhttp.AnthropicOkHttpClientAsync;
import com.anthropic.core.JsonValue;
import com.anthropic.core.ObjectMappers;
import com.anthropic.core.RequestOptions;
import com.anthropic.core.http.Headers;
import com.anthropic.errors.AnthropicIoException;
import com.anthropic.errors.AnthropicServiceException;
import com.anthropic.errors.InternalServerException;
import com.anthropic.errors.OverloadedException;
import com.anthropic.errors.RateLimitException;
import com.anthropic.models.messages.ContentBlock;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.StopReason;

import com.anthropic.models.messages.ToolChoiceTool;
import com.anthropic.models.messages.ToolUseBlock;
import com.fasterxml.jackson.core.JsonProcessingException;
import dev.afk.controlplane.common.SecretFile;
import dev.afk.controlplane.model.Model;
import dev.afk.controlplane.model.ModelConfig;
import dev.afk.controlplane.model.ModelUnavailable;
import io.smallrye.faulttolerance.api.CustomBackoff;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.Context;
import io.vertx.mutiny.core.Vertx;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import org.eclipse.microprofile.faulttolerance.Retry;

/**
 * The Messages API through the official Anthropic Java SDK's asynchronous client: its calls start
 * on a worker thread and run on the SDK's own HTTP threads, never on the event loop, and the
 * answer is handed back on the caller's Vert.x context. The SDK does not retry ({@code maxRetries(0)}); overloads, rate limits
 * and server errors are retried here with Fault Tolerance, waiting what {@code retry-after} asks
 * (up to {@code afk.model.max-retry-after}). The API key is read from its file on every call, so
 * a rotated Secret is used at once; it is never logged.
 */
@ApplicationScoped
public class AnthropicModel implements Model {

    private final ModelConfig config;
    private final Vertx vertx;
    private volatile Client client;

    AnthropicModel(ModelConfig config, Vertx vertx) {
        this.config = config;
        this.vertx = vertx;
    }

    private record Client(String key, AnthropicClientAsync sdk) {}

    @Override
    @Retry(retryOn = ModelUnavailable.Busy.class, maxRetries = 2, delay = 500, delayUnit = ChronoUnit.MILLIS,
            maxDuration = 5, durationUnit = ChronoUnit.MINUTES, jitter = 0)
    @CustomBackoff(RetryAfterBackoff.class)
    public Uni<Answer> ask(Request request) {
        return SecretFile.read(vertx, config.apiKeyFile())
                .onFailure().transform(e -> new ModelUnavailable("no_api_key", "The model's API key file cannot be read", null))
                .flatMap(key -> key.isEmpty()
                        ? Uni.createFrom().failure(new ModelUnavailable("no_api_key", "No model API key is configured", null))
                        : call(key.get(), request));
    }

    /**
     * Building the client, writing the request and the SDK's first use (class loading, Kotlin
     * reflection) all happen on a worker thread; the answer comes back on the caller's context.
     */
    private Uni<Answer> call(String key, Request request) {
        Context context = io.vertx.core.Vertx.currentContext();
        RequestOptions options = RequestOptions.builder().timeout(request.timeout()).build();
        Uni<Answer> answer = Uni.createFrom().completionStage(() -> client(key).messages().create(params(request), options))
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .map(AnthropicModel::answer)
                .onFailure().transform(e -> patient(unavailable(e)));
        // The SDK completes on its own threads; whatever follows (the database) belongs on the caller's context.
        return context == null ? answer : answer.emitOn(task -> context.runOnContext(ignored -> task.run()));
    }

    static MessageCreateParams params(Request request) {
        Map<String, JsonValue> properties = new LinkedHashMap<>();
        Object declared = request.tool().inputSchema().get("properties");
        if (declared instanceof Map<?, ?> map) {
            map.forEach((name, schema) -> properties.put(String.valueOf(name), JsonValue.from(schema)));
        }
        var schema = com.anthropic.models.messages.Tool.InputSchema.builder()
                .properties(com.anthropic.models.messages.Tool.InputSchema.Properties.builder().putAllAdditionalProperties(properties).build());
        if (request.tool().inputSchema().get("required") instanceof List<?> required) {
            schema.required(required.stream().map(String::valueOf).toList());
        }
        schema.putAdditionalProperty("additionalProperties", JsonValue.from(false));
        return MessageCreateParams.builder()
                .model(request.model())
                .maxTokens(request.maxOutputTokens())
                .system(request.system())
                .addUserMessage(request.user())
                .addTool(com.anthropic.models.messages.Tool.builder()
                        .name(request.tool().name())
                        .description(request.tool().description())
                        .inputSchema(schema.build())
                        .strict(true)
                        .build())
                .toolChoice(ToolChoiceTool.builder().name(request.tool().name()).build())
                .build();
    }

    /** The forced tool's input, as JSON text; null when the model answered without calling it. */
    static Answer answer(Message message) {
        String input = message.content().stream()
                .map(ContentBlock::toolUse).flatMap(Optional::stream)
                .findFirst()
                .map(ToolUseBlock::_input)
                .map(AnthropicModel::json)
                .orElse(null);
        return new Answer(message.model().asString(), input, message.stopReason().map(StopReason::asString).orElse(null),
                message.usage().inputTokens(), message.usage().outputTokens());
    }

    private static String json(JsonValue value) {
        try {
            return ObjectMappers.jsonMapper().writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("The SDK could not write back JSON it read", e);
        }
    }

    /** A wait longer than we are willing to hold a task for is not retried. */
    private Throwable patient(Throwable failure) {
        if (failure instanceof ModelUnavailable.Busy busy && busy.retryAfter().isPresent()
                && busy.retryAfter().get().compareTo(config.maxRetryAfter()) > 0) {
            return new ModelUnavailable(busy.code(), busy.getMessage() + "; it asked to wait " + busy.retryAfter().get(), null);
        }
        return failure;
    }

    /** The SDK's failures in the port's terms; the busy ones are retried. */
    static Throwable unavailable(Throwable failure) {
        Throwable e = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        return switch (e) {
            case OverloadedException o -> new ModelUnavailable.Busy("overloaded", "The model is overloaded (" + o.statusCode() + ")",
                    retryAfter(o.headers()), null);
            case RateLimitException r -> new ModelUnavailable.Busy("rate_limited", "The model's rate limit was hit",
                    retryAfter(r.headers()), null);
            case InternalServerException s -> new ModelUnavailable.Busy("unavailable", "The model's service failed (" + s.statusCode() + ")",
                    retryAfter(s.headers()), null);
            case AnthropicServiceException s -> new ModelUnavailable("refused", "The model's service refused the call ("
                    + s.statusCode() + s.errorType().map(t -> " " + t.asString()).orElse("") + ")", null);
            case AnthropicIoException io when io.getCause() instanceof java.io.InterruptedIOException
                    || io.getCause() instanceof TimeoutException ->
                    new ModelUnavailable.Busy("timeout", "The model did not answer in time", Optional.empty(), null);
            case AnthropicIoException io -> new ModelUnavailable.Busy("unreachable", "The model's service cannot be reached",
                    Optional.empty(), null);
            case ModelUnavailable u -> u;
            default -> new ModelUnavailable("error", "The model call failed: " + e.getClass().getSimpleName(), e);
        };
    }

    /** {@code retry-after-ms}, else {@code retry-after} in seconds (the SDK's own retry reads both). */
    static Optional<Duration> retryAfter(Headers headers) {
        try {
            List<String> ms = headers.values("retry-after-ms");
            if (!ms.isEmpty()) {
                return Optional.of(Duration.ofMillis((long) Double.parseDouble(ms.getFirst())));
            }
            List<String> seconds = headers.values("retry-after");
            if (!seconds.isEmpty()) {
                return Optional.of(Duration.ofMillis((long) (Double.parseDouble(seconds.getFirst()) * 1000)));
            }
        } catch (NumberFormatException e) {
            // an HTTP date or garbage: fall back to the configured backoff
        }
        return Optional.empty();
    }

    /** One SDK client per API key: a rotated key gets a new client, and the old one is closed. */
    private AnthropicClientAsync client(String key) {
        Client current = client;
        if (current != null && current.key().equals(key)) {
            return current.sdk();
        }
        synchronized (this) {
            if (client != null && client.key().equals(key)) {
                return client.sdk();
            }
            AnthropicOkHttpClientAsync.Builder builder = AnthropicOkHttpClientAsync.builder()
                    .apiKey(key)
                    .maxRetries(0)
                    // The SDK's model classes carry Kotlin metadata; Quarkus' Jackson is newer than it checks for.
                    .checkJacksonVersionCompatibility(false);
            config.baseUrl().ifPresent(builder::baseUrl);
            Client fresh = new Client(key, builder.build());
            Client old = client;
            client = fresh;
            if (old != null) {
                old.sdk().close();
            }
            return fresh.sdk();
        }
    }

    @PreDestroy
    void close() {
        Client current = client;
        if (current != null) {
            current.sdk().close();
        }
    }
}
