package dev.afk.controlplane.agents.queue;

import io.smallrye.mutiny.Uni;

/**
 * Told of every pending item a raise accepted, a re-offered one included (so a hook must be
 * idempotent). A hook's failure never fails the raise: the hook owns its own retry.
 */
public interface RaiseHook {

    Uni<Void> raised(QueueItem item);
}
