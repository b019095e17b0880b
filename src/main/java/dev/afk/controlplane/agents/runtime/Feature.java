package dev.afk.controlplane.agents.runtime;

import com.fasterxml.jackson.annotation.JsonValue;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/**
 * A feature (UI tab, route family) an agent may support. The set an agent supports is its
 * {@code features} descriptor; a route of a missing feature answers 409.
 */
@RegisterForReflection
public enum Feature {
    OVERVIEW, TASKS, CHAT, SCHEDULES, LOGS, STATS, FILES, GIT, TERMINAL, SSH, SESSIONS, LOOPS, SHARING, SETTINGS,
    CREDENTIALS;

    /** What a native agent supports unless its node type says otherwise: no container, no files or shell. */
    public static final Set<Feature> NATIVE_DEFAULT = Collections.unmodifiableSet(
            EnumSet.complementOf(EnumSet.of(FILES, GIT, TERMINAL, SSH, SESSIONS, LOOPS, CREDENTIALS)));

    @JsonValue
    public String wire() {
        return name().toLowerCase();
    }
}
