package dev.afk.controlplane.agents.queue;

import java.time.Duration;
import java.util.List;

/**
 * An item as an agent offered it, checked and bounded.
 *
 * @param sourceRef the source's own id of it, so the same item read twice is raised once
 * @param expiresIn null for the configured default
 */
public record ItemDraft(String sourceRef, Kind kind, Priority priority, String addressee, String text,
        List<String> options, Duration expiresIn) {

    public enum Kind {
        QUESTION, APPROVAL, ALERT;

        public String wire() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public enum Priority {
        LOW, NORMAL, HIGH, URGENT;

        public String wire() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
