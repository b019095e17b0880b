package dev.afk.controlplane.agents.container;

import dev.afk.controlplane.common.DomainException;

/** The agent's container does not exist: it must be created before it can run. */
public class NoSuchContainerException extends DomainException {
    public NoSuchContainerException(String containerName) {
        super(409, "container-missing", "Container missing",
                "Container '" + containerName + "' does not exist; it must be created before the agent can run");
    }
}
