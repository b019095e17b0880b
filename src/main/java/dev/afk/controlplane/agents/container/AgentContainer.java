package dev.afk.controlplane.agents.container;

import java.time.Instant;
import java.util.Map;

/**
 * An agent container as the engine reports it, read from Trinity's {@code trinity.*} labels.
 *
 * @param agentName   from the container name {@code agent-{name}} (the label goes stale on rename)
 * @param state       the engine's raw state (running, exited, created, …)
 * @param status      the registry status the state maps to
 * @param harness     {@code trinity.agent-runtime}: the in-container CLI
 */
public record AgentContainer(String id, String agentName, String image, String state, String status,
        String harness, Integer sshPort, String cpu, String memory, String template, Instant created,
        String baseImageVersion, Map<String, String> labels) {

    /** The label (and its value) that marks a container as an agent; an engine adapter lists by it. */
    public static final String PLATFORM_LABEL = "trinity.platform";
    public static final String PLATFORM_AGENT = "agent";
    static final String NAME_PREFIX = "agent-";

    /** The container name of an agent: Trinity's fixed {@code agent-{name}}. */
    public static String containerName(String agentName) {
        return NAME_PREFIX + agentName;
    }

    /** An agent container from what any engine reports: its id, name, image, state, creation and labels. */
    public static AgentContainer fromLabels(String id, String containerName, String image, String state,
            Long createdEpochSeconds, Map<String, String> labels) {
        String name = containerName.startsWith("/") ? containerName.substring(1) : containerName;
        String agentName = name.startsWith(NAME_PREFIX) ? name.substring(NAME_PREFIX.length())
                : labels.getOrDefault("trinity.agent-name", name);
        Instant created = parseInstant(labels.get("trinity.created"));
        if (created == null && createdEpochSeconds != null) {
            created = Instant.ofEpochSecond(createdEpochSeconds);
        }
        return new AgentContainer(id, agentName, image, state, ContainerStatus.of(state),
                labels.get("trinity.agent-runtime"), parseInt(labels.get("trinity.ssh-port")),
                labels.get("trinity.cpu"), labels.get("trinity.memory"), emptyToNull(labels.get("trinity.template")),
                created, labels.get("trinity.base-image-version"), Map.copyOf(labels));
    }

    private static Integer parseInt(String value) {
        try {
            return value == null ? null : Integer.valueOf(value.strip());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Instant parseInstant(String value) {
        try {
            return value == null || value.isBlank() ? null : java.time.OffsetDateTime.parse(value).toInstant();
        } catch (java.time.format.DateTimeParseException e) {
            return null;
        }
    }

    private static String emptyToNull(String value) {
        return value == null || value.isEmpty() ? null : value;
    }
}
