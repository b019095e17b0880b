package dev.afk.controlplane.agents.runtime;

import java.time.Duration;
import java.util.UUID;

/** One task handed to a runtime. The task record is already stored under {@code id}. */
public record TaskRequest(UUID id, String message, String requestedBy, Duration timeout) {}
