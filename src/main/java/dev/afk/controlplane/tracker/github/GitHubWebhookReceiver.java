package dev.afk.controlplane.tracker.github;

import dev.afk.controlplane.common.Problem;
import dev.afk.controlplane.common.RepoSlug;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
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
import java.util.concurrent.atomic.AtomicLong;
import javax.crypto.Mac;
import org.jboss.logging.Logger;

/**
 * {@code POST /webhooks/github}: authenticated by GitHub's HMAC signature, not by a bearer token.
 * Nothing of a delivery is parsed before its signature is verified. A delivery only signals its
 * repository (the poller does the work), so GitHub gets its answer in milliseconds.
 *
 * <p>The route is public, so what an unauthenticated sender can make it hold is bounded: a missing
 * or malformed signature or event header is a 401 before a byte of the body is read; the HMAC is
 * fed as the body arrives; every delivery counts against one budget of bytes in flight (over it:
 * 429 with {@code Retry-After}: the service is fine, the senders are too many) and must arrive within the read timeout (else 408). A Vert.x route
 * ahead of the service-wide body limit, with its own ({@code afk.github.webhook.max-body-size}).
 */
@ApplicationScoped
public class GitHubWebhookReceiver {

    public static final String PATH = "/webhooks/github";
    private static final Logger LOG = Logger.getLogger(GitHubWebhookReceiver.class);

    private final WebhookDeliveries deliveries;
    private final GitHubTrackerConfig config;
    private final MeterRegistry registry;
    /** Bytes of deliveries being read or handled, across all connections. */
    private final AtomicLong inFlight = new AtomicLong();
    private final Event<IssueChanged> issueChanged;
    private volatile Optional<WebhookSignature> signature = Optional.empty();

    GitHubWebhookReceiver(WebhookDeliveries deliveries, GitHubTrackerConfig config, MeterRegistry registry,
            Event<IssueChanged> issueChanged) {
        this.deliveries = deliveries;
        this.config = config;
        this.registry = registry;
        Gauge.builder("afk.github.webhooks.bytes.in.flight", inFlight, AtomicLong::get)
                .description("Bytes of GitHub webhook deliveries being read or handled").register(registry);
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
        HttpServerRequest request = ctx.request();
        Optional<WebhookSignature> key = signature;
        if (key.isEmpty() || request.getHeader("X-GitHub-Event") == null
                || !WebhookSignature.wellFormed(request.getHeader("X-Hub-Signature-256"))) {
            unsigned(ctx);
            return;
        }
        long limit = config.webhook().maxBodySize().asLongValue();
        long declared = declaredLength(request);
        if (declared > limit) {
            tooLarge(ctx, limit);
            return;
        }
        Reading reading = new Reading(key.get().start(), Math.max(declared, 0));
        if (!reserve(reading.reserved)) {
            busy(ctx);
            return;
        }
        long timer = ctx.vertx().setTimer(config.webhook().readTimeout().toMillis(), ignored -> {
            if (!ctx.response().ended()) {
                refuse(ctx, 408, "webhook-timeout", "Delivery too slow",
                        "The delivery did not arrive within " + config.webhook().readTimeout(), "timeout", true);
            }
        });
        // Answered, failed or disconnected: the delivery's share of the budget is free again.
        ctx.addEndHandler(ignored -> {
            ctx.vertx().cancelTimer(timer);
            reading.release();
        });
        request.handler(chunk -> {
            if (ctx.response().ended()) {
                return;
            }
            if (reading.received + chunk.length() > limit) {
                tooLarge(ctx, limit);
            } else if (!reading.grow(chunk.length())) {
                busy(ctx);
            } else {
                reading.append(chunk.getBytes());
            }
        });
        request.exceptionHandler(failure -> LOG.debugf("A webhook delivery broke off: %s", failure.getMessage()));
        request.endHandler(ignored -> {
            ctx.vertx().cancelTimer(timer);
            if (ctx.response().ended()) {
                return;
            }
            if (key.get().matches(reading.mac, request.getHeader("X-Hub-Signature-256"))) {
                handle(ctx, reading.body);
            } else {
                unsigned(ctx);
            }
        });
        request.resume();
    }

    /** One delivery being read: its HMAC so far, its bytes (kept to parse once verified) and its share of the budget. */
    private final class Reading {
        final Mac mac;
        final Buffer body;
        long received;
        long reserved;
        private boolean released;

        Reading(Mac mac, long declared) {
            this.mac = mac;
            this.body = Buffer.buffer((int) declared);
            this.reserved = declared;
        }

        /** Chunked deliveries declare no length: they reserve as they grow. */
        boolean grow(int bytes) {
            long beyond = received + bytes - reserved;
            if (beyond <= 0) {
                return true;
            }
            if (!reserve(beyond)) {
                return false;
            }
            reserved += beyond;
            return true;
        }

        void append(byte[] chunk) {
            received += chunk.length;
            mac.update(chunk);
            body.appendBytes(chunk);
        }

        void release() {
            if (!released) {
                released = true;
                inFlight.addAndGet(-reserved);
            }
        }
    }

    private boolean reserve(long bytes) {
        long budget = config.webhook().maxBytesInFlight().asLongValue();
        if (inFlight.addAndGet(bytes) <= budget) {
            return true;
        }
        inFlight.addAndGet(-bytes);
        return false;
    }

    private void unsigned(RoutingContext ctx) {
        refuse(ctx, 401, "webhook-signature", "Signature is missing or wrong", "X-Hub-Signature-256 must be the "
                + "HMAC-SHA256 of the body with the webhook's secret, and X-GitHub-Event is required", "unsigned", true);
    }

    private void tooLarge(RoutingContext ctx, long limit) {
        refuse(ctx, 413, "payload-too-large", "Payload Too Large", "The delivery is larger than " + limit + " bytes",
                "too_large", true);
    }

    private void busy(RoutingContext ctx) {
        ctx.response().putHeader("Retry-After", Long.toString(Math.max(1, config.webhook().readTimeout().toSeconds())));
        refuse(ctx, 429, "webhook-busy", "Too many deliveries at once",
                "Deliveries being received exceed afk.github.webhook.max-bytes-in-flight; redeliver later", "busy", true);
    }

    private void handle(RoutingContext ctx, Buffer body) {
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
            payload = new JsonObject(body);
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
        refuse(ctx, status, type, title, detail, outcome, false);
    }

    /** {@code unread}: the body is (partly) unread, so the connection is closed rather than drained. */
    private void refuse(RoutingContext ctx, int status, String type, String title, String detail, String outcome,
            boolean unread) {
        count(ctx.request().getHeader("X-GitHub-Event"), outcome);
        HttpServerResponse response = ctx.response().setStatusCode(status).putHeader("Content-Type", Problem.MEDIA_TYPE);
        if (unread) {
            response.putHeader("Connection", "close");
        }
        response.end(Json.encode(Problem.of(status, type, title, detail, PATH))).onComplete(sent -> {
            if (unread && ctx.request().version() != HttpVersion.HTTP_2) {
                ctx.request().connection().close();
            }
        });
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

    /** The declared Content-Length, or -1 (chunked). The HTTP layer has already refused a malformed one. */
    private static long declaredLength(HttpServerRequest request) {
        String declared = request.getHeader("Content-Length");
        try {
            return declared == null ? -1 : Long.parseLong(declared.strip());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
