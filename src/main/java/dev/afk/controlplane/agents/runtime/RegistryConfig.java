package dev.afk.controlplane.agents.runtime;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Configuration of the agent registry and its runtimes. */
@ConfigMapping(prefix = "afk.agents")
public interface RegistryConfig {

    Engine engine();

    Container container();

    Tasks tasks();

    /** The container engine (Docker Engine API or podman's compatible service). */
    interface Engine {
        /** {@code unix:///path/docker.sock} or {@code tcp://host:port}; defaults to DOCKER_HOST. */
        @WithDefault("${DOCKER_HOST:unix:///var/run/docker.sock}")
        String host();

        /** API version prefix; 1.41 is the newest podman 4 serves and every Docker since 20.10 accepts. */
        @WithDefault("1.41")
        String apiVersion();

        /** Deadline of one engine request. */
        @WithDefault("5s")
        Duration timeout();

        /** Consecutive failures that open the circuit breaker. */
        @WithDefault("3")
        int breakerFailures();

        /** How long an open breaker answers "unavailable" without asking the engine. */
        @WithDefault("10s")
        Duration breakerOpenFor();

        /** How long after losing the engine's event stream it is opened again (then the list is read anew). */
        @WithDefault("1s")
        Duration reconnectAfter();
    }

    /** Container agents' own HTTP servers. */
    interface Container {
        /** Base URL of an agent's server; {name} is the agent name. */
        @WithDefault("http://agent-{name}:8000")
        String agentUrl();
    }

    interface Tasks {
        /** Capacity of a new agent: tasks queued or running at once. */
        @WithDefault("3")
        int defaultCapacity();

        /** Longest a task may run before it fails with {@code timeout}. */
        @WithDefault("1h")
        Duration timeout();

        /** How long a task stays claimed by its replica without a renewal; then the sweep fails it. */
        @WithDefault("1m")
        Duration lease();

        /** How often a replica renews the leases of the tasks it runs; well under {@link #lease()}. */
        @WithDefault("15s")
        Duration leaseRenewEvery();

        /** How often each replica looks for tasks whose lease lapsed. */
        @WithDefault("30s")
        Duration sweepEvery();
    }
}
