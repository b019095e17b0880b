package dev.afk.controlplane.agents;

import dev.afk.controlplane.agents.runtime.RuntimeKind;

/** An agent's run state: what it is, and what an operator last asked it to be. */
public record AgentState(String name, RuntimeKind runtimeKind, String status, String desiredState, boolean needsStart) {}
