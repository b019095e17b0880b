package dev.afk.controlplane.afk.runs;

/** Where a run stands. The terminal states never change again; FROZEN also holds its repository. */
public enum RunState {
    /** Claimed by the poller, nothing sent yet. */
    QUEUED,
    /** Worktree, thread and first turn are being handed to the executor. */
    DISPATCHING,
    /** The agent is implementing; nothing of this run is on the default branch yet. */
    WORKING,
    /** The agent waits on a question or an approval from a human. */
    NEEDS_INPUT,
    /** A commit of this run is on the default branch; CI and the rollout decide. */
    AWAITING_CI,
    /** CI went red; a corrective turn is running and a newer commit is awaited. */
    FIX_FORWARDING,
    DONE,
    /** Handed to a human: nothing pushed, or a budget or limit ran out. */
    ESCALATED,
    /** Red on the default branch and the fix-forward budget is spent: the repository is held. */
    FROZEN,
    CANCELLED;

    public boolean terminal() {
        return this == DONE || this == ESCALATED || this == FROZEN || this == CANCELLED;
    }

    /** States in which the agent may be running a turn right now. */
    public boolean agentMayBeRunning() {
        return this == WORKING || this == FIX_FORWARDING || this == NEEDS_INPUT || this == DISPATCHING;
    }
}
