package dev.afk.controlplane.agents;

import dev.afk.controlplane.agents.runtime.Feature;
import dev.afk.controlplane.common.DomainException;

/** The registry's problems, each with a stable type slug. */
class RegistryProblem extends DomainException {

    private RegistryProblem(int status, String type, String title, String detail) {
        super(status, type, title, detail);
    }

    /** The one answer for "no such agent" and "not yours": names cannot be probed. */
    static RegistryProblem notFound() {
        return new RegistryProblem(404, "agent-not-found", "Agent not found", "No agent of that name is visible to you");
    }

    static RegistryProblem taskNotFound() {
        return new RegistryProblem(404, "task-not-found", "Task not found", "This agent has no task with that id");
    }

    static RegistryProblem featureNotSupported(String agent, Feature feature) {
        return new RegistryProblem(409, "feature-not-supported", "Feature not supported",
                "Agent '" + agent + "' does not support the '" + feature.wire() + "' feature");
    }

    static RegistryProblem containerOnly(String agent, Feature feature) {
        return new RegistryProblem(409, "feature-not-supported", "Feature not supported",
                "The '" + feature.wire() + "' feature of agent '" + agent + "' needs a container; it is a native agent");
    }

    static RegistryProblem nameTaken(String name) {
        return new RegistryProblem(409, "agent-name-taken", "Name taken",
                "The name '" + name + "' belongs to an agent, possibly a deleted one: names are never reused");
    }

    static RegistryProblem notRunning(String agent, String status) {
        return new RegistryProblem(409, "agent-not-running", "Agent not running",
                "Agent '" + agent + "' is " + status + "; start it before giving it tasks");
    }

    static RegistryProblem capacityFull(String agent, int capacity) {
        return new RegistryProblem(429, "agent-at-capacity", "Agent at capacity",
                "Agent '" + agent + "' already has " + capacity + " tasks queued or running");
    }

    static RegistryProblem taskFinished(String status) {
        return new RegistryProblem(409, "task-finished", "Task already finished", "The task already ended: " + status);
    }

    static RegistryProblem invalid(String detail) {
        return new RegistryProblem(400, "invalid-agent", "Agent is not valid", detail);
    }

    static RegistryProblem reservedName(String name) {
        return new RegistryProblem(400, "invalid-agent", "Agent is not valid", "The name '" + name + "' is reserved: names "
                + "starting with '" + AgentNames.RESERVED_PREFIX + "' belong to the agents the service makes for enrolled repositories");
    }

    static RegistryProblem serviceOwnedNodeType(String nodeType) {
        return new RegistryProblem(400, "invalid-agent", "Agent is not valid", "Agents of node type '" + nodeType
                + "' are made by the service itself (one per enrolled repository), not through the registry API");
    }

    static RegistryProblem operatorRequired(String agent) {
        return new RegistryProblem(403, "forbidden", "Forbidden", "Starting or stopping agent '" + agent
                + "' pauses or resumes a repository: that needs the operator role");
    }

    static RegistryProblem orphan(String agent) {
        return new RegistryProblem(409, "agent-orphan", "Orphan container",
                "No agent row claims container 'agent-" + agent + "'; adopt it first");
    }

    static RegistryProblem nothingToAdopt(String name) {
        return new RegistryProblem(409, "no-container", "No container to adopt",
                "No agent container named 'agent-" + name + "' exists");
    }

    static RegistryProblem tasksManagedElsewhere(String agent, String where) {
        return new RegistryProblem(409, "tasks-managed-elsewhere", "Tasks are managed elsewhere",
                "Agent '" + agent + "' does not take tasks through the registry: " + where);
    }
}
