package dev.afk.controlplane.agents.container;

import dev.afk.controlplane.common.DomainException;

/** The container engine could not be asked (down, timed out, or its circuit breaker is open). */
public class EngineUnavailableException extends DomainException {
    public EngineUnavailableException(String detail) {
        super(503, "engine-unavailable", "Container engine unavailable", detail);
    }
}
