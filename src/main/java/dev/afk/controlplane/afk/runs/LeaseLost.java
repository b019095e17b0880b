package dev.afk.controlplane.afk.runs;

import dev.afk.controlplane.common.RunId;

/** The run changed under a reconciler (another replica, an operator): its decision is dropped and redone. */
public class LeaseLost extends RuntimeException {
    public LeaseLost(RunId runId) {
        super("run " + runId + " changed while it was being reconciled");
    }
}
