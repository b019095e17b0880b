package dev.afk.controlplane.agents;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.afk.controlplane.agents.container.AgentContainer;
import dev.afk.controlplane.agents.container.ContainerStatus;
import dev.afk.controlplane.agents.container.EngineListing;
import dev.afk.controlplane.agents.runtime.RuntimeKind;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The union of database rows and labelled containers, every case. */
class AgentMergeTests {

    private static AgentRow row(String name, RuntimeKind kind, String desired, String... tags) {
        AgentRow row = new AgentRow();
        row.name = name;
        row.owner = "nina";
        row.runtimeKind = kind.wire();
        row.nodeType = kind == RuntimeKind.NATIVE ? "router" : null;
        row.harness = kind == RuntimeKind.CONTAINER ? "claude-code" : null;
        row.desiredState = desired;
        row.tags = tags;
        row.maxParallelTasks = 3;
        row.createdAt = OffsetDateTime.parse("2026-11-01T10:00:00Z");
        return row;
    }

    private static AgentContainer container(String name, String state) {
        return new AgentContainer("id-" + name, name, "img", state, ContainerStatus.of(state), "codex", null, null, null,
                null, Instant.parse("2026-11-02T10:00:00Z"), null, Map.of("trinity.platform", "agent"));
    }

    private final List<AgentRow> rows = List.of(
            row("alpha", RuntimeKind.CONTAINER, "running", "ops"),
            row("bravo", RuntimeKind.CONTAINER, "running"),
            row("charlie", RuntimeKind.NATIVE, "running", "ops", "review"),
            row("delta", RuntimeKind.NATIVE, "stopped"));

    @Test
    void containerRowsTakeTheirStatusFromTheEngineAndMissingOnesNeedAStart() {
        EngineListing engine = EngineListing.of(List.of(container("alpha", "exited"), container("orphan", "running")));

        List<AgentView> merged = AgentMerge.merge(rows, engine, true);

        assertThat(merged).extracting(AgentView::name, AgentView::status, AgentView::needsStart, AgentView::orphan)
                .containsExactly(
                        tuple("alpha", "stopped", false, false),
                        tuple("bravo", "missing", true, false),
                        tuple("charlie", "running", false, false),
                        tuple("delta", "stopped", false, false),
                        tuple("orphan", "running", false, true));
        assertThat(merged.get(0).containerId()).isEqualTo("id-alpha");
        assertThat(merged.get(4).owner()).isNull();
    }

    @Test
    void orphansAreLeftOutUnlessAsked() {
        EngineListing engine = EngineListing.of(List.of(container("orphan", "running")));
        assertThat(AgentMerge.merge(rows, engine, false)).extracting(AgentView::name)
                .containsExactly("alpha", "bravo", "charlie", "delta");
    }

    @Test
    void anUnavailableEngineLeavesEveryAgentListedWithContainerOnesUnknown() {
        EngineListing down = EngineListing.unavailable("cannot be reached");

        List<AgentView> merged = AgentMerge.merge(rows, down, true);

        assertThat(merged).extracting(AgentView::name, AgentView::status, AgentView::needsStart).containsExactly(
                tuple("alpha", "unknown", false), tuple("bravo", "unknown", false),
                tuple("charlie", "running", false), tuple("delta", "stopped", false));
    }
}
