package dev.afk.controlplane.agents.runtime;

/**
 * Status values the registry reports. Container agents may also report an engine state passed
 * through unchanged (paused, removing, …).
 */
public final class AgentStatus {
    public static final String RUNNING = "running";
    public static final String STOPPED = "stopped";
    /** A container agent whose container does not exist: listed, with {@code needsStart}. */
    public static final String MISSING = "missing";
    /** The container engine could not be asked. */
    public static final String UNKNOWN = "unknown";

    private AgentStatus() {}
}
