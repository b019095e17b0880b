package dev.afk.controlplane.agents.container;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import java.util.List;
import java.util.Optional;

/**
 * The container engine as the registry needs it. Listing never fails: an engine that cannot be
 * asked is a reported state ({@link EngineListing#unavailable}), because "no answer" is not
 * "no agents". Single-container calls fail with {@link EngineUnavailableException}.
 */
public interface ContainerEngine {

    /** Every container labelled {@code trinity.platform=agent}, running or not. */
    Uni<EngineListing> listAgents();

    /**
     * Changes to labelled containers as they happen: {@link ContainerEvent#connected()} first,
     * then one event per change, until the connection ends (completion) or fails. Cancelling
     * closes the connection.
     */
    Multi<ContainerEvent> events();

    /** The agent container of that name, empty when none exists (or it is not an agent container). */
    Uni<Optional<AgentContainer>> inspect(String containerName);

    /** Starts it; starting a running container is no error. */
    Uni<Void> start(String containerName);

    /** Stops it; stopping a stopped container is no error. */
    Uni<Void> stop(String containerName);

    /** The last {@code tail} lines of stdout and stderr, in order. */
    Uni<List<LogLine>> logs(String containerName, int tail);

    /** One sample of resource usage. */
    Uni<ContainerStats> stats(String containerName);

    /**
     * The regular file at {@code path} inside the container (running or not), read through the
     * engine's archive API; empty when the container or the file does not exist. Fails with
     * {@link UnreadableFileException} when it is larger than {@code maxBytes} (known before it is
     * read) or not a regular file.
     */
    Uni<Optional<byte[]>> readFile(String containerName, String path, int maxBytes);

    /** Writes {@code content} as the file at {@code path}, replacing it; its directory must exist. */
    Uni<Void> writeFile(String containerName, String path, byte[] content);
}
