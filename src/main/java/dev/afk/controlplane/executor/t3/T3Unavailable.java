package dev.afk.controlplane.executor.t3;

import dev.afk.controlplane.executor.ExecutorException;

/** A failure worth retrying with the same request: transport error, timeout, 5xx while T3 starts. */
class T3Unavailable extends ExecutorException {
    T3Unavailable(String detail) {
        super(Reason.UNAVAILABLE, detail);
    }
}
