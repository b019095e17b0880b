package dev.afk.controlplane.agents.runtime;

import java.time.Instant;
import java.util.UUID;

/**
 * A task as a {@link TaskSource} reports it, in the registry's vocabulary: {@code status} is one
 * of queued, running, success, failed, cancelled.
 */
public record TaskSnapshot(UUID id, String status, String trigger, String requestedBy, String message, String result,
        String errorCode, String error, Instant queuedAt, Instant startedAt, Instant finishedAt) {}
