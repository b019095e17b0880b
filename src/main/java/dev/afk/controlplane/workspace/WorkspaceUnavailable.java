package dev.afk.controlplane.workspace;

import dev.afk.controlplane.common.DomainException;

/** Git failed or timed out; worth retrying later. The detail never carries a credential. */
public class WorkspaceUnavailable extends DomainException {

    public WorkspaceUnavailable(String detail) {
        super(503, "workspace-unavailable", "Workspace unavailable", detail);
    }
}
