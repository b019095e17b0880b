package dev.afk.controlplane.executor;

import dev.afk.controlplane.common.DomainException;

/**
 * An executor call that did not succeed, classified so the pipeline can tell "try again later"
 * from "this will never work". Messages never carry credentials.
 */
public class ExecutorException extends DomainException {

    /** Why the executor did not do what was asked. */
    public enum Reason {
        /** No executor is configured: nothing can be dispatched. */
        NOT_CONFIGURED(503, true),
        /** Unreachable, timed out, overloaded or circuit open: retry later with the same ids. */
        UNAVAILABLE(503, true),
        /** Our credential is missing, invalid or lacks a permission: an operator must act. */
        UNAUTHORISED(502, false),
        /** The executor refused the input (e.g. a workspace root that does not exist). */
        REJECTED(422, false),
        /** The executor no longer understands our requests: a bug on our side, alert. */
        CONTRACT_DRIFT(502, false),
        /** The executor failed the command for a reason it does not disclose. */
        FAILED(502, false);

        private final int status;
        private final boolean transientFailure;

        Reason(int status, boolean transientFailure) {
            this.status = status;
            this.transientFailure = transientFailure;
        }
    }

    private final Reason reason;

    public ExecutorException(Reason reason, String detail) {
        super(reason.status, "executor-" + reason.name().toLowerCase().replace('_', '-'), "Executor call failed", detail);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }

    /** True when the same call, with the same ids, may succeed later. */
    public boolean retryable() {
        return reason.transientFailure;
    }
}
