package dev.afk.controlplane.notify.slack;

import dev.afk.controlplane.common.RestClients;
import dev.afk.controlplane.common.SecretFile;
import dev.afk.controlplane.notify.Binding;
import dev.afk.controlplane.notify.DeliveryAttempt;
import dev.afk.controlplane.notify.DeliveryAttempt.Delivered;
import dev.afk.controlplane.notify.DeliveryAttempt.Rejected;
import dev.afk.controlplane.notify.DeliveryAttempt.Retry;
import dev.afk.controlplane.notify.Doorbell.Route;
import dev.afk.controlplane.notify.DoorbellChannel;
import dev.afk.controlplane.notify.Notice;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Slack incoming webhook: a message with a header, the issue and state, the reason, and buttons to
 * the run and the issue. A 429 silences that webhook for its Retry-After: nothing is sent to it
 * until then, so a burst of rings cannot get the app disabled.
 */
@ApplicationScoped
public class SlackChannel implements DoorbellChannel {

    private static final int PERMANENT_ERROR_BODY = 100;

    private final SlackConfig config;
    private final Vertx vertx;
    private final Clock clock;
    private final SlackWebhook web;
    /** By webhook file, or by the URL of an agent's own webhook. */
    private final Map<String, Instant> quietUntil = new ConcurrentHashMap<>();

    SlackChannel(SlackConfig config, Vertx vertx, Clock clock) {
        this.config = config;
        this.vertx = vertx;
        this.clock = clock;
        // Every call names its webhook; the base only satisfies the builder.
        this.web = RestClients.create(SlackWebhook.class, URI.create("https://hooks.slack.com"), config.timeout(),
                config.timeout());
    }

    @Override
    public String name() {
        return "slack";
    }

    @Override
    public boolean enabled(Route route) {
        return !Boolean.FALSE.equals(route.slack()) && (route.slackWebhookFile() != null || config.webhookFile().isPresent());
    }

    @Override
    public Optional<String> destination(Route route) {
        return Optional.ofNullable(route.slackWebhookFile()).map(Path::toString);
    }

    @Override
    public Uni<DeliveryAttempt> deliver(Notice notice, Optional<String> destination) {
        Optional<Path> webhookFile = destination.map(Path::of).or(config::webhookFile);
        if (webhookFile.isEmpty()) {
            return Uni.createFrom().item(new Rejected("no Slack webhook is configured"));
        }
        String key = webhookFile.get().toString();
        Optional<Retry> quiet = holdingBack(key);
        if (quiet.isPresent()) {
            return Uni.createFrom().item(quiet.get());
        }
        return SecretFile.read(vertx, webhookFile).flatMap(url -> url.isEmpty()
                ? Uni.createFrom().item(new Rejected("the Slack webhook file is empty"))
                : post(key, url.get(), notice));
    }

    /** An agent's own webhook: the binding holds the URL itself. */
    @Override
    public Uni<DeliveryAttempt> deliver(Notice notice, Binding binding) {
        String url = binding.target();
        Optional<Retry> quiet = holdingBack(url);
        return quiet.<Uni<DeliveryAttempt>>map(retry -> Uni.createFrom().item(retry)).orElseGet(() -> post(url, url, notice));
    }

    private Optional<Retry> holdingBack(String webhook) {
        Duration quiet = Duration.between(clock.instant(), quietUntil.getOrDefault(webhook, Instant.EPOCH));
        return quiet.isPositive() ? Optional.of(new Retry("holding back after Slack's 429", Optional.of(quiet))) : Optional.empty();
    }

    private Uni<DeliveryAttempt> post(String key, String url, Notice notice) {
        return web.post(url, SlackMessage.of(notice).encode())
                .map(response -> outcome(key, response))
                // The exception's message may quote the webhook URL: keep only its type.
                .onFailure().recoverWithItem(e -> new Retry("Slack did not answer: " + e.getClass().getSimpleName(),
                        Optional.empty()));
    }

    private DeliveryAttempt outcome(String webhook, Response response) {
        int status = response.getStatus();
        if (status == 200) {
            return new Delivered();
        }
        String error = "HTTP " + status + " " + shortBody(response);
        if (status == 429) {
            Optional<Duration> retryAfter = retryAfter(response.getHeaderString("Retry-After"));
            retryAfter.ifPresent(wait -> quietUntil.put(webhook, clock.instant().plus(wait)));
            return new Retry(error, retryAfter);
        }
        // 400 invalid_payload, 403 action_prohibited, 404 no_service/channel_not_found, 410 channel_is_archived:
        // sending again will not change Slack's mind.
        return status >= 400 && status < 500 ? new Rejected(error) : new Retry(error, Optional.empty());
    }

    private static String shortBody(Response response) {
        String body = response.hasEntity() ? response.readEntity(String.class) : null;
        if (body == null) {
            return "";
        }
        String line = body.strip().lines().findFirst().orElse("");
        return line.length() > PERMANENT_ERROR_BODY ? line.substring(0, PERMANENT_ERROR_BODY) : line;
    }

    private static Optional<Duration> retryAfter(String header) {
        try {
            return header == null ? Optional.empty() : Optional.of(Duration.ofSeconds(Long.parseLong(header.strip())));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** Block Kit body; {@code text} is the notification fallback. */
    static final class SlackMessage {

        private SlackMessage() {}

        static JsonObject of(Notice notice) {
            if (notice.aboutAgent()) {
                return ofAgent(notice);
            }
            String issue = notice.issueLink() == null ? escape(notice.issueRef())
                    : "<" + notice.issueLink() + "|" + escape(notice.issueRef()) + ">";
            JsonArray blocks = new JsonArray()
                    .add(new JsonObject().put("type", "header").put("text", plain(limit(notice.title(), 150))))
                    .add(new JsonObject().put("type", "section").put("fields", new JsonArray()
                            .add(mrkdwn("*Issue*\n" + issue))
                            .add(mrkdwn("*State*\n" + notice.state()))));
            if (notice.message() != null && !notice.message().isBlank()) {
                blocks.add(new JsonObject().put("type", "section").put("text", mrkdwn(limit(escape(notice.message()), 3000))));
            }
            JsonArray buttons = new JsonArray();
            if (notice.link() != null) {
                buttons.add(button("Open the run", notice.link().toString()).put("style", "primary"));
            }
            if (notice.issueLink() != null) {
                buttons.add(button("Open the issue", notice.issueLink().toString()));
            }
            if (!buttons.isEmpty()) {
                blocks.add(new JsonObject().put("type", "actions").put("elements", buttons));
            }
            String text = "[" + notice.state() + "] " + notice.issueRef() + ": " + notice.title();
            return new JsonObject().put("text", escape(text)).put("blocks", blocks);
        }

        /**
         * An agent's queue item: its words are the agent's, so they go in a code block (no mrkdwn,
         * no mentions, no links) with the block's own fence taken out of them.
         */
        static JsonObject ofAgent(Notice notice) {
            JsonArray blocks = new JsonArray()
                    .add(new JsonObject().put("type", "header").put("text", plain(limit(notice.title(), 150))))
                    .add(new JsonObject().put("type", "section").put("fields", new JsonArray()
                            .add(mrkdwn("*Agent*\n" + escape(notice.agent())))
                            .add(mrkdwn("*State*\n" + notice.state()))));
            if (notice.message() != null && !notice.message().isBlank()) {
                blocks.add(new JsonObject().put("type", "section").put("text", mrkdwn(fenced(notice.message()))));
            }
            if (notice.link() != null) {
                blocks.add(new JsonObject().put("type", "actions").put("elements", new JsonArray()
                        .add(button("Answer it", notice.link().toString()).put("style", "primary"))));
            }
            String text = "[" + notice.state() + "] " + notice.issueRef() + ": " + notice.title();
            return new JsonObject().put("text", escape(text)).put("blocks", blocks);
        }

        static String fenced(String untrusted) {
            String inner = escape(untrusted).replace("```", "`\u200b`\u200b`");
            return "```" + limit(inner, 2900) + "```";
        }

        private static JsonObject button(String label, String url) {
            return new JsonObject().put("type", "button").put("text", plain(label)).put("url", url);
        }

        private static JsonObject plain(String text) {
            return new JsonObject().put("type", "plain_text").put("text", text);
        }

        private static JsonObject mrkdwn(String text) {
            return new JsonObject().put("type", "mrkdwn").put("text", text);
        }

        /** Slack's three control characters in mrkdwn. */
        private static String escape(String text) {
            return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
        }

        private static String limit(String text, int max) {
            return text.length() <= max ? text : text.substring(0, max - 1) + "…";
        }
    }
}
