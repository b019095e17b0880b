package dev.afk.controlplane.tracker.github;

import dev.afk.controlplane.common.Problem;
import dev.afk.controlplane.common.RepoSlug;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.annotation.Priority;
import dev.afk.controlplane.tracker.IssueChanged;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * {@code POST /webhooks/github}: authenticated by GitHub's HMAC signature, not by a bearer token.
 * Nothing of a delivery is parsed before its signature is verified. A delivery only signals its
 * repository (the poller does the work), so GitHub gets its answer in milliseconds.
 *
 * <p>A Vert.x route ahead of the service-wide body limit, because deliveries may be larger than
 * API requests: it enforces its own limit ({@code afk.github.webhook.max-body-size}) while reading.
 */
@ApplicationScoped
public class GitHubWebhookReceiver {

    public static final String PATH = "/webhooks/github";
    private static final Logger LOG = Logger.getLogger(GitHubWebhookReceiver.class);

    private final WebhookDeliveries deliveries;
    private final GitHubTrackerConfig config;
    private final MeterRegistry registry;
    private final Event<IssueChanged> issueChanged;
    private volatile Optional<WebhookSignature> signature = Optional.empty();

    GitHubWebhookReceiver(WebhookDeliveries deliveries, GitHubTrackerConfig config, MeterRegistry registry,
            Event<IssueChanged> issueChanged) {
        this.deliveries = deliveries;
        this.config = config;
        this.registry = registry;
        this.issueChanged = issueChanged;
    }

    void loadSecret(@Observes StartupEvent started) throws java.io.IOException {
        Optional<Path> file = config.webhook().secretFile();
        if (file.isEmpty()) {
            LOG.warn("No GitHub webhook secret configured (afk.github.webhook.secret-file): every delivery is refused");
            return;
        }
        signature = Optional.of(new WebhookSignature(WebhookSignature.secretOf(Files.readString(file.get()))));
    }

    /** Registered before the service-wide body limit (lower priority value = earlier observer, same route order). */
    void install(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) Router router) {
        router.post(PATH).order(Integer.MIN_VALUE).handler(this::receive);
    }

    private void receive(RoutingContext ctx) {
        long limit = config.webhook().maxBodySize().asLongValue();
        HttpServerRequest request = ctx.request();
        String declared = request.getHeader("Content-Length");
        if (declared != null && isOver(declared, limit)) {
            refuse(ctx, 413, "payload-too-large", "Payload Too Large", "The delivery is larger than " + limit + " bytes", "too_large");
            return;
        }
        Buffer body = Buffer.buffer();
        request.handler(chunk -> {
            if (ctx.response().ended()) {
                return;
            }
            if (body.length() + chunk.length() > limit) {
                refuse(ctx, 413, "payload-too-large", "Payload Too Large", "The delivery is larger than " + limit + " bytes", "too_large");
                return;
            }
            body.appendBuffer(chunk);
        });
        request.endHandler(ignored -> {
            if (!ctx.response().ended()) {
                verify(ctx, body.getBytes());
            }
        });
        request.resume();
    }

    private void verify(RoutingContext ctx, byte[] body) {
        String header = ctx.request().getHeader("X-Hub-Signature-256");
        ctx.vertx().<Boolean>executeBlocking(() -> signature.map(s -> s.matches(body, header)).orElse(false), false)
                .onSuccess(valid -> {
                    if (valid) {
                        handle(ctx, body);
                    } else {
                        refuse(ctx, 401, "webhook-signature", "Signature is missing or wrong",
                                "X-Hub-Signature-256 must be the HMAC-SHA256 of the body with the webhook's secret", "unsigned");
                    }
                })
                .onFailure(failure -> failed(ctx, failure));
    }

    private void handle(RoutingContext ctx, byte[] body) {
        String event = ctx.request().getHeader("X-GitHub-Event");
        String delivery = ctx.request().getHeader("X-GitHub-Delivery");
        if (event == null || delivery == null || delivery.isBlank() || delivery.length() > 100) {
            refuse(ctx, 400, "malformed-webhook", "Delivery cannot be read",
                    "X-GitHub-Event and X-GitHub-Delivery are required", "malformed");
            return;
        }
        if (!WebhookEvents.known(event)) {
            answer(ctx, 202, delivery, event, "ignored");
            return;
        }
        JsonObject payload;
        try {
            payload = new JsonObject(Buffer.buffer(body));
        } catch (DecodeException | ClassCastException e) {
            refuse(ctx, 400, "malformed-webhook", "Delivery cannot be read", "The body is not a JSON object", "malformed");
            return;
        }
        if (event.equals("ping")) {
            answer(ctx, 200, delivery, event, "pong");
            return;
        }
        Optional<String> reason = WebhookEvents.reason(event, payload);
        Optional<RepoSlug> repo = repository(payload);
        if (reason.isEmpty() || repo.isEmpty()) {
            answer(ctx, 202, delivery, event, "ignored");
            return;
        }
        deliveries.signalOnce(delivery, event, repo.get(), reason.get()).subscribe().with(
                fresh -> {
                    if (fresh) {
                        nudgeTriage(reason.get(), repo.get(), payload);
                    }
                    answer(ctx, fresh ? 202 : 200, delivery, event, fresh ? "queued" : "duplicate");
                },
                failure -> failed(ctx, failure));
    }

    /** An opened or edited issue is worth a triage now (issue text is read again from the API, never from here). */
    private void nudgeTriage(String reason, RepoSlug repo, JsonObject payload) {
        if ((reason.equals("issues.opened") || reason.equals("issues.edited"))
                && payload.getValue("issue") instanceof JsonObject issue && issue.getValue("number") instanceof Integer number) {
            issueChanged.fire(new IssueChanged(repo, number, reason));
        }
    }

    private static Optional<RepoSlug> repository(JsonObject payload) {
        try {
            JsonObject repository = payload.getJsonObject("repository");
            return repository == null ? Optional.empty() : Optional.of(RepoSlug.parse(repository.getString("full_name")));
        } catch (IllegalArgumentException | ClassCastException e) {
            return Optional.empty();
        }
    }

    private void answer(RoutingContext ctx, int status, String delivery, String event, String outcome) {
        count(event, outcome);
        ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json")
                .end(new JsonObject().put("delivery", delivery).put("event", event).put("outcome", outcome).encode());
    }

    private void refuse(RoutingContext ctx, int status, String type, String title, String detail, String outcome) {
        count(ctx.request().getHeader("X-GitHub-Event"), outcome);
        ctx.response().setStatusCode(status).putHeader("Content-Type", Problem.MEDIA_TYPE);
        if (status == 413) {
            ctx.response().putHeader("Connection", "close");
        }
        ctx.response().end(Json.encode(Problem.of(status, type, title, detail, PATH)));
    }

    private void failed(RoutingContext ctx, Throwable failure) {
        LOG.error("GitHub webhook delivery failed", failure);
        refuse(ctx, 500, "internal", "Internal error", "The delivery could not be recorded; redeliver it", "error");
    }

    private void count(String event, String outcome) {
        String known = event != null && WebhookEvents.known(event) ? event : "other";
        Counter.builder("afk.github.webhooks").description("GitHub webhook deliveries by event and outcome")
                .tag("event", known).tag("outcome", outcome).register(registry).increment();
    }

    private static boolean isOver(String contentLength, long max) {
        try {
            return Long.parseLong(contentLength.strip()) > max;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
