package dev.afk.controlplane.status;

import dev.afk.controlplane.agents.queue.QueueItem;
import java.time.Duration;
import java.time.Instant;

/** A pending operator-queue item as the status page lists it; {@code text} is the agent's, shown escaped. */
public record PendingItem(String id, String kind, String priority, String agent, String age, String addressee, String text) {

    private static final int TEXT_SHOWN = 300;

    static PendingItem of(QueueItem item, Instant now) {
        String text = item.text().length() <= TEXT_SHOWN ? item.text() : item.text().substring(0, TEXT_SHOWN - 1) + "…";
        return new PendingItem(item.id().toString(), item.kind(), item.priority(), item.agent(),
                age(Duration.between(item.raisedAt(), now)), item.addressee(), text);
    }

    /** {@code 42s}, {@code 5m}, {@code 3h 12m}, {@code 2d 4h}. */
    static String age(Duration age) {
        long s = Math.max(0, age.toSeconds());
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return s / 60 + "m";
        }
        if (s < 86_400) {
            return s / 3600 + "h " + s % 3600 / 60 + "m";
        }
        return s / 86_400 + "d " + s % 86_400 / 3600 + "h";
    }
}
