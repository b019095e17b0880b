package dev.afk.controlplane.notify;

import dev.afk.controlplane.notify.Doorbell.Route;
import io.smallrye.mutiny.Uni;
import java.util.Optional;

/** What each doorbell adapter implements: one channel (Slack, ntfy, …). */
public interface DoorbellChannel {

    /** Stable name, stored with each delivery. */
    String name();

    /** Whether this channel sends the repository's rings at all (configured, and not switched off). */
    boolean enabled(Route route);

    /** The repository's override of where to send (stored with the delivery), if any. */
    Optional<String> destination(Route route);

    /**
     * One attempt. Never fails the Uni for a refusal: it answers what to do next. A failed Uni
     * counts as a transient failure.
     */
    Uni<DeliveryAttempt> deliver(Notice notice, Optional<String> destination);

    /** One attempt to an agent's own binding; the same contract as {@link #deliver(Notice, Optional)}. */
    default Uni<DeliveryAttempt> deliver(Notice notice, Binding binding) {
        return Uni.createFrom().item(new DeliveryAttempt.Rejected("channel " + name() + " takes no agent bindings"));
    }
}
