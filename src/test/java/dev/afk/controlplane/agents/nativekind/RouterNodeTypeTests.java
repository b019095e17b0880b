package dev.afk.controlplane.agents.nativekind;

import static org.assertj.core.api.Assertions.assertThat;

import dev.afk.controlplane.agents.nativekind.Fleet.AgentLoad;
import dev.afk.controlplane.agents.runtime.AgentSpec;
import dev.afk.controlplane.agents.runtime.Feature;
import dev.afk.controlplane.agents.runtime.RuntimeKind;
import dev.afk.controlplane.agents.runtime.TaskOutcome;
import dev.afk.controlplane.agents.runtime.TaskRequest;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class RouterNodeTypeTests {

    private final RouterNodeType router = new RouterNodeType();
    private final AgentSpec agent = new AgentSpec("front", "nina", RuntimeKind.NATIVE, null, "router",
            Map.of("tag", "pool"), List.of(), "running");
    private final TaskRequest task = new TaskRequest(UUID.randomUUID(), "do it", "nina", Duration.ofMinutes(1));

    /** A fleet with fixed loads that records where tasks were forwarded. */
    private static final class FixedFleet implements Fleet {
        final List<AgentLoad> loads;
        final List<String> forwardedTo = new ArrayList<>();

        FixedFleet(AgentLoad... loads) {
            this.loads = List.of(loads);
        }

        @Override
        public Uni<List<AgentLoad>> runningAgentsTagged(AgentSpec asking, String tag) {
            return Uni.createFrom().item(loads);
        }

        @Override
        public Uni<UUID> forward(AgentSpec from, TaskRequest task, String target) {
            forwardedTo.add(target);
            return Uni.createFrom().item(UUID.randomUUID());
        }

        @Override
        public Uni<dev.afk.controlplane.agents.queue.OperatorQueue.Raised> ask(AgentSpec asking, Map<String, Object> item) {
            throw new UnsupportedOperationException("a router asks nobody");
        }
    }

    @Test
    void forwardsToTheLeastBusyAgentWithRoomAndRecordsWhich() {
        FixedFleet fleet = new FixedFleet(new AgentLoad("b", 1, 3), new AgentLoad("a", 2, 3), new AgentLoad("c", 0, 0),
                new AgentLoad("d", 1, 3));

        TaskOutcome outcome = router.execute(agent, task, fleet).await().indefinitely();

        assertThat(outcome.success()).isTrue();
        assertThat(outcome.routedTo()).isEqualTo("b");
        assertThat(outcome.result()).startsWith("forwarded to b as task ");
        assertThat(fleet.forwardedTo).containsExactly("b");
    }

    @Test
    void failsWithNoTargetWhenEveryCandidateIsFullOrThereIsNone() {
        for (FixedFleet fleet : List.of(new FixedFleet(), new FixedFleet(new AgentLoad("a", 3, 3)))) {
            TaskOutcome outcome = router.execute(agent, task, fleet).await().indefinitely();
            assertThat(outcome.success()).isFalse();
            assertThat(outcome.errorCode()).isEqualTo("no_target");
            assertThat(fleet.forwardedTo).isEmpty();
        }
    }

    @Test
    void validatesItsConfigurationAndDeclaresFewFeatures() {
        assertThat(router.validate(Map.of("tag", "pool"))).isEmpty();
        assertThat(router.validate(Map.of())).hasSize(1);
        assertThat(router.validate(Map.of("tag", " "))).hasSize(1);
        assertThat(router.validate(Map.of("tag", "pool", "mode", "x"))).containsExactly("unknown keys: mode");
        assertThat(router.features()).containsExactlyInAnyOrder(Feature.OVERVIEW, Feature.TASKS, Feature.SHARING,
                Feature.SETTINGS);
        assertThat(Feature.NATIVE_DEFAULT).doesNotContain(Feature.FILES, Feature.GIT, Feature.TERMINAL, Feature.SSH,
                Feature.SESSIONS, Feature.LOOPS, Feature.CREDENTIALS);
    }
}
