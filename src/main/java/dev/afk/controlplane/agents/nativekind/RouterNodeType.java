package dev.afk.controlplane.agents.nativekind;

import dev.afk.controlplane.agents.runtime.AgentSpec;
import dev.afk.controlplane.agents.runtime.Feature;
import dev.afk.controlplane.agents.runtime.TaskOutcome;
import dev.afk.controlplane.agents.runtime.TaskRequest;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code router}: forwards each task to the least-busy running agent carrying the configured tag
 * (fewest tasks queued or running; ties go to the first name), and records which. Deterministic:
 * no judgment, no model call. Config: {@code {"tag": "reviewers"}}.
 */
@ApplicationScoped
public class RouterNodeType implements NodeType {

    public static final String NAME = "router";
    private static final String TAG = "tag";

    @Override
    public String name() {
        return NAME;
    }

    /** A router has no chat, schedules, logs or stats of its own: it only passes tasks on. */
    @Override
    public Set<Feature> features() {
        return EnumSet.of(Feature.OVERVIEW, Feature.TASKS, Feature.SHARING, Feature.SETTINGS);
    }

    @Override
    public List<String> validate(Map<String, Object> config) {
        Object tag = config.get(TAG);
        if (!(tag instanceof String text) || text.isBlank()) {
            return List.of("'tag' must name the tag of the agents to route to");
        }
        List<String> unknown = config.keySet().stream().filter(key -> !TAG.equals(key)).sorted().toList();
        return unknown.isEmpty() ? List.of() : List.of("unknown keys: " + String.join(", ", unknown));
    }

    @Override
    public Uni<TaskOutcome> execute(AgentSpec agent, TaskRequest task, Fleet fleet) {
        String tag = (String) agent.nodeConfig().get(TAG);
        return fleet.runningAgentsTagged(agent, tag)
                .map(RouterNodeType::leastBusy)
                .flatMap(target -> target
                        .map(load -> fleet.forward(agent, task, load.name())
                                .map(id -> TaskOutcome.routed(load.name(), "forwarded to " + load.name() + " as task " + id)))
                        .orElseGet(() -> Uni.createFrom().item(TaskOutcome.failed("no_target",
                                "No running agent tagged '" + tag + "' has room for a task"))));
    }

    static Optional<Fleet.AgentLoad> leastBusy(List<Fleet.AgentLoad> candidates) {
        return candidates.stream()
                .filter(Fleet.AgentLoad::hasRoom)
                .min(Comparator.comparingInt(Fleet.AgentLoad::activeTasks).thenComparing(Fleet.AgentLoad::name));
    }
}
