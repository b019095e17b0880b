package dev.afk.controlplane.agents.runtime;

/**
 * How a task ended.
 *
 * @param errorCode a stable slug when it failed (timeout, capacity, agent_error, network, …)
 * @param routedTo  the agent a router forwarded the task to, when it did
 */
public record TaskOutcome(boolean success, String result, String errorCode, String error, String routedTo) {

    public static TaskOutcome succeeded(String result) {
        return new TaskOutcome(true, result, null, null, null);
    }

    public static TaskOutcome failed(String errorCode, String error) {
        return new TaskOutcome(false, null, errorCode, error, null);
    }

    public static TaskOutcome routed(String target, String result) {
        return new TaskOutcome(true, result, null, null, target);
    }
}
