package dev.afk.controlplane.agents.queue;

import io.smallrye.mutiny.Uni;

/**
 * Hands an answer to the agent that asked. One bean per source; the queue calls it after the answer
 * is stored and marks the item relayed once it succeeds, so an agent gets each answer at most once.
 */
public interface AnswerRelay {

    /** The source whose items it relays, as passed to {@link OperatorQueue#raise}. */
    String source();

    Uni<Void> relay(QueueItem item);
}
