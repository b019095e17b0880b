package dev.afk.controlplane.afk.runs;

import dev.afk.controlplane.common.DomainException;

/** Problems an operator can cause with run requests. */
public final class RunProblems {

    private RunProblems() {}

    public static final class NotFound extends DomainException {
        public NotFound(String id) {
            super(404, "run-not-found", "Run not found", "no run " + id);
        }
    }

    /** The request does not fit the run's (or its repository's) current state. */
    public static final class Conflict extends DomainException {
        public Conflict(String detail) {
            super(409, "run-state-conflict", "Not possible in the run's current state", detail);
        }
    }
}
