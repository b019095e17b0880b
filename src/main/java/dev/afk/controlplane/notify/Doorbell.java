package dev.afk.controlplane.notify;

import dev.afk.controlplane.common.RepoSlug;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.smallrye.mutiny.Uni;
import java.net.URI;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * Tells a human something happened. {@link #ring} only records the ring durably (an outbox);
 * delivery is at-least-once, in the background, and never blocks or fails the caller's transition.
 */
public interface Doorbell {

    /** Records a ring; a second ring with the same dedup key is ignored. */
    Uni<Void> ring(Ring ring);

    /** Records a ring sent through the repository's own channel settings instead of the install's. */
    default Uni<Void> ring(Ring ring, Route route) {
        return ring(ring);
    }

    /**
     * How the rings of a run are being delivered, oldest first: for the run's timeline. A delivery
     * to an agent's own binding is named {@code <channel> of agent <name>}.
     */
    default Uni<List<Delivery>> deliveries(String runId) {
        return Uni.createFrom().item(List.of());
    }

    @RegisterForReflection
    enum Kind {
        /** Low priority: the issue is done. */
        DONE,
        /** High priority: a human must look. */
        NEEDS_HUMAN,
        /** Urgent: the repository is frozen on a broken deploy. */
        FROZEN
    }

    /**
     * {@code agent}: the agent whose own channels (its bindings) this ring also goes to, if any. A
     * ring about an agent rather than an issue (a queue item) has no repository and issue 0.
     */
    record Ring(String dedupKey, Kind kind, RepoSlug repo, int issue, String runId, String title, String message, URI link,
            String agent) {

        public Ring(String dedupKey, Kind kind, RepoSlug repo, int issue, String runId, String title, String message, URI link) {
            this(dedupKey, kind, repo, issue, runId, title, message, link, null);
        }
    }

    /**
     * A repository's overrides of the install's channels; a null field keeps the install's value.
     * {@code slack}/{@code ntfy} switch a channel off (or back on); the webhook file and the topic
     * send this repository's rings elsewhere.
     */
    record Route(Boolean slack, Path slackWebhookFile, Boolean ntfy, String ntfyTopic) {

        public static final Route INSTALL = new Route(null, null, null, null);

        /** Only the agent's own channels: the install's are left out. */
        public static final Route AGENT_ONLY = new Route(false, null, false, null);
    }

    enum DeliveryState {
        /** Waiting for its next attempt. */
        PENDING,
        DELIVERED,
        /** Given up: the channel refused it for good or the attempts ran out. */
        FAILED
    }

    /** One channel's delivery of one ring. */
    record Delivery(String dedupKey, Kind kind, String channel, DeliveryState state, int attempts,
            OffsetDateTime nextAttemptAt, String lastError, OffsetDateTime deliveredAt) {}
}
