package dev.afk.controlplane.agents.runtime;

import java.math.BigDecimal;

/**
 * How a task ended.
 *
 * @param errorCode a stable slug when it failed (timeout, capacity, agent_error, network, …)
 * @param routedTo  the agent a router forwarded the task to, when it did
 * @param usage     what the task's model calls used, when it made any
 */
public record TaskOutcome(boolean success, String result, String errorCode, String error, String routedTo, Usage usage) {

    public static TaskOutcome succeeded(String result) {
        return new TaskOutcome(true, result, null, null, null, null);
    }

    public static TaskOutcome failed(String errorCode, String error) {
        return new TaskOutcome(false, null, errorCode, error, null, null);
    }

    public static TaskOutcome routed(String target, String result) {
        return new TaskOutcome(true, result, null, null, target, null);
    }

    public TaskOutcome withUsage(Usage used) {
        return new TaskOutcome(success, result, errorCode, error, routedTo, used);
    }

    /** Tokens and cost of a task's model calls, added up; {@code model} is the last one asked. */
    public record Usage(String model, long inputTokens, long outputTokens, BigDecimal costUsd) {

        public Usage plus(Usage other) {
            return other == null ? this : new Usage(other.model, inputTokens + other.inputTokens,
                    outputTokens + other.outputTokens, costUsd.add(other.costUsd));
        }
    }
}
