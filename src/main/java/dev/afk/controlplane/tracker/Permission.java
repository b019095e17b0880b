package dev.afk.controlplane.tracker;

/** A user's permission on a repository, folded to the levels that matter for trust. */
public enum Permission {
    ADMIN, WRITE, READ, NONE;

    /** Only writers and admins may release work to an agent. */
    public boolean mayRelease() {
        return this == ADMIN || this == WRITE;
    }
}
