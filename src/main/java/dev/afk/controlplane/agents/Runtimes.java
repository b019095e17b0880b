package dev.afk.controlplane.agents;

import dev.afk.controlplane.agents.runtime.AgentRuntime;
import dev.afk.controlplane.agents.runtime.RuntimeKind;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import java.util.EnumMap;
import java.util.Map;

/** The runtime of each kind. */
@ApplicationScoped
class Runtimes {

    private final Map<RuntimeKind, AgentRuntime> byKind = new EnumMap<>(RuntimeKind.class);

    Runtimes(Instance<AgentRuntime> runtimes) {
        runtimes.forEach(r -> byKind.put(r.kind(), r));
        for (RuntimeKind kind : RuntimeKind.values()) {
            if (!byKind.containsKey(kind)) {
                throw new IllegalStateException("No runtime for kind " + kind.wire());
            }
        }
    }

    AgentRuntime of(RuntimeKind kind) {
        return byKind.get(kind);
    }
}
