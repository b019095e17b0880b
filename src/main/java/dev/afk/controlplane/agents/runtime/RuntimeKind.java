package dev.afk.controlplane.agents.runtime;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.Arrays;

/**
 * Where an agent runs: in its own container, or in-process as a native node type. Orthogonal to
 * the container's harness (claude-code, codex, …), which Trinity calls "runtime".
 */
@RegisterForReflection
public enum RuntimeKind {
    CONTAINER, NATIVE;

    @JsonValue
    public String wire() {
        return name().toLowerCase();
    }

    /** The kind named by {@code value}, or null when it names none. */
    @JsonCreator
    public static RuntimeKind fromWire(String value) {
        return Arrays.stream(values()).filter(k -> k.wire().equals(value)).findFirst().orElse(null);
    }
}
