package dev.afk.controlplane.notify.ntfy;

import dev.afk.controlplane.common.RestClients;
import dev.afk.controlplane.common.SecretFile;
import dev.afk.controlplane.notify.Binding;
import dev.afk.controlplane.notify.DeliveryAttempt;
import dev.afk.controlplane.notify.DeliveryAttempt.Delivered;
import dev.afk.controlplane.notify.DeliveryAttempt.Rejected;
import dev.afk.controlplane.notify.DeliveryAttempt.Retry;
import dev.afk.controlplane.notify.Doorbell.Kind;
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
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/** ntfy: a JSON publish to the server root, priority by kind, a click-through to the run. */
@ApplicationScoped
public class NtfyChannel implements DoorbellChannel {

    private static final Pattern TOPIC = Pattern.compile("[-_A-Za-z0-9]{1,64}");

    private final NtfyConfig config;
    private final Vertx vertx;
    /** Empty when no server is configured. */
    private final Optional<NtfyPublish> web;
    /** Clients of the other servers agents' bindings name (an allowed few). */
    private final Map<URI, NtfyPublish> others = new ConcurrentHashMap<>();

    NtfyChannel(NtfyConfig config, Vertx vertx) {
        this.config = config;
        this.vertx = vertx;
        this.web = config.url().map(url -> RestClients.create(NtfyPublish.class, url, config.timeout(), config.timeout()));
    }

    @Override
    public String name() {
        return "ntfy";
    }

    @Override
    public boolean enabled(Route route) {
        return !Boolean.FALSE.equals(route.ntfy()) && config.url().isPresent()
                && (route.ntfyTopic() != null || config.topic().isPresent());
    }

    @Override
    public Optional<String> destination(Route route) {
        return Optional.ofNullable(route.ntfyTopic());
    }

    @Override
    public Uni<DeliveryAttempt> deliver(Notice notice, Optional<String> destination) {
        Optional<String> topic = destination.or(config::topic);
        if (web.isEmpty() || topic.isEmpty()) {
            return Uni.createFrom().item(new Rejected("no ntfy server or topic is configured"));
        }
        if (!TOPIC.matcher(topic.get()).matches()) {
            return Uni.createFrom().item(new Rejected("not an ntfy topic: " + topic.get()));
        }
        return SecretFile.read(vertx, config.tokenFile()).flatMap(token -> web.get()
                .publish(token.map(t -> "Bearer " + t).orElse(null), NtfyMessage.of(notice, topic.get()).encode())
                .map(NtfyChannel::outcome)
                .onFailure().recoverWithItem(e -> new Retry("ntfy did not answer: " + e.getClass().getSimpleName(),
                        Optional.empty())));
    }

    /**
     * An agent's own topic, on the install's server (with its token) or on another allowed one
     * (without: the install's token is never sent to a server it is not for).
     */
    @Override
    public Uni<DeliveryAttempt> deliver(Notice notice, Binding binding) {
        if (!TOPIC.matcher(binding.target()).matches()) {
            return Uni.createFrom().item(new Rejected("not an ntfy topic: " + binding.target()));
        }
        boolean install = binding.server().isEmpty() || binding.server().equals(config.url());
        if (install && web.isEmpty()) {
            return Uni.createFrom().item(new Rejected("no ntfy server is configured"));
        }
        NtfyPublish client = install ? web.get() : others.computeIfAbsent(binding.server().get(),
                url -> RestClients.create(NtfyPublish.class, url, config.timeout(), config.timeout()));
        Uni<Optional<String>> token = install ? SecretFile.read(vertx, config.tokenFile()) : Uni.createFrom().item(Optional.empty());
        return token.flatMap(t -> client.publish(t.map(v -> "Bearer " + v).orElse(null),
                        NtfyMessage.of(notice, binding.target()).encode())
                .map(NtfyChannel::outcome)
                .onFailure().recoverWithItem(e -> new Retry("ntfy did not answer: " + e.getClass().getSimpleName(),
                        Optional.empty())));
    }

    private static DeliveryAttempt outcome(Response response) {
        int status = response.getStatus();
        if (status == 200) {
            return new Delivered();
        }
        String error = "HTTP " + status + errorCode(response);
        if (status == 429 || status >= 500 || status == 408) {
            return new Retry(error, retryAfter(response.getHeaderString("Retry-After")));
        }
        return new Rejected(error);
    }

    /** ntfy errors are JSON with a numeric code, e.g. 40007 for a bad priority. */
    private static String errorCode(Response response) {
        try {
            JsonObject body = response.hasEntity() ? new JsonObject(response.readEntity(String.class)) : null;
            return body == null ? "" : " (" + body.getValue("code") + " " + body.getString("error", "") + ")";
        } catch (RuntimeException e) {
            return "";
        }
    }

    private static Optional<Duration> retryAfter(String header) {
        try {
            return header == null ? Optional.empty() : Optional.of(Duration.ofSeconds(Long.parseLong(header.strip())));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** The JSON publish body. */
    static final class NtfyMessage {

        private NtfyMessage() {}

        static JsonObject of(Notice notice, String topic) {
            String message = notice.message() == null || notice.message().isBlank() ? notice.title() : notice.message();
            JsonObject body = new JsonObject()
                    .put("topic", topic)
                    .put("title", "[" + notice.state() + "] " + notice.issueRef() + ": " + notice.title())
                    .put("message", message)
                    .put("priority", priority(notice.kind()))
                    .put("tags", new JsonArray().add(emoji(notice.kind())).add("afk").add(tag(notice.kind())));
            if (notice.link() != null) {
                body.put("click", notice.link().toString());
            }
            if (notice.issueLink() != null) {
                body.put("actions", new JsonArray().add(new JsonObject().put("action", "view")
                        .put("label", "Open the issue").put("url", notice.issueLink().toString())));
            }
            return body;
        }

        /** done = low (2), needs-human = high (4), frozen = urgent (5). */
        static int priority(Kind kind) {
            return switch (kind) {
                case DONE -> 2;
                case NEEDS_HUMAN -> 4;
                case FROZEN -> 5;
            };
        }

        private static String tag(Kind kind) {
            return kind.name().toLowerCase().replace('_', '-');
        }

        private static String emoji(Kind kind) {
            return switch (kind) {
                case DONE -> "white_check_mark";
                case NEEDS_HUMAN -> "raising_hand";
                case FROZEN -> "rotating_light";
            };
        }
    }
}
