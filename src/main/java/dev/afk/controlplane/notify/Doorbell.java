package dev.afk.controlplane.notify;

import dev.afk.controlplane.common.RepoSlug;
import io.smallrye.mutiny.Uni;
import java.net.URI;

/**
 * Tells a human something happened. {@link #ring} only records the ring durably (an outbox);
 * delivery is at-least-once, in the background, and never blocks or fails the caller's transition.
 */
public interface Doorbell {

    /** Records a ring; a second ring with the same dedup key is ignored. */
    Uni<Void> ring(Ring ring);

    enum Kind {
        /** Low priority: the issue is done. */
        DONE,
        /** High priority: a human must look. */
        NEEDS_HUMAN,
        /** Urgent: the repository is frozen on a broken deploy. */
        FROZEN
    }

    record Ring(String dedupKey, Kind kind, RepoSlug repo, int issue, String runId, String title, String message, URI link) {}
}
