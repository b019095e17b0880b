package dev.afk.controlplane.agents.queue;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** One item of the operator queue, as the API shows it. */
public record QueueItem(UUID id, String agent, String source, String sourceRef, String kind, String priority,
        String addressee, String text, List<String> options, String state, Instant raisedAt, Instant expiresAt,
        String answer, String answeredBy, Instant answeredAt, String relayState) {}
