package dev.afk.controlplane.agents.container;

import java.time.Instant;
import java.util.Map;

/**
 * One change to an agent container, as the engine's event stream reports it, in the registry's
 * terms. The first item of every stream is {@link Kind#CONNECTED}: from then on no change is
 * missed, so that is when the full list is read.
 *
 * @param state  the engine state the container is now in ({@code running}, {@code exited}, …),
 *               null when the event does not change it (a rename)
 * @param labels the container's {@code trinity.*} labels
 */
public record ContainerEvent(Kind kind, String id, String name, String state, String image,
        Map<String, String> labels, Instant time) {

    public enum Kind {
        /** The stream is open: every later change will be reported. */
        CONNECTED,
        /** Created, started, stopped, paused, renamed… */
        CHANGED,
        /** Gone from the engine. */
        REMOVED
    }

    public static ContainerEvent connected() {
        return new ContainerEvent(Kind.CONNECTED, null, null, null, null, Map.of(), null);
    }

    /** The container after this event, built on what was known of it (null: nothing). */
    public AgentContainer applyTo(AgentContainer known) {
        String newState = state != null ? state : known == null ? null : known.state();
        Long created = known == null || known.created() == null ? (time == null ? null : time.getEpochSecond())
                : known.created().getEpochSecond();
        return AgentContainer.fromLabels(id, name, image != null ? image : known == null ? null : known.image(), newState,
                created, labels);
    }
}
