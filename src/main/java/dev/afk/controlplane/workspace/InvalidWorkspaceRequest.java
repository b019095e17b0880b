package dev.afk.controlplane.workspace;

import dev.afk.controlplane.common.DomainException;

/** A name, URL or path that could escape the workspace root or leak a credential; nothing was changed. */
public class InvalidWorkspaceRequest extends DomainException {

    public InvalidWorkspaceRequest(String detail) {
        super(400, "invalid-workspace-request", "Invalid workspace request", detail);
    }
}
