package dev.afk.controlplane.agents;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.afk.controlplane.agents.container.AgentContainer;
import dev.afk.controlplane.agents.container.ContainerStatus;
import dev.afk.controlplane.agents.container.EngineListing;
import dev.afk.controlplane.agents.runtime.RuntimeKind;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The list as PostgreSQL computes it: rows the viewer may see joined with the engine's
 * containers, orphans for admins, filters, the count and the page, every case.
 */
@QuarkusTest
class AgentListingTests {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Inject
    AgentStore store;

    @Inject
    Pool pool;

    private final String p = "l" + UUID.randomUUID().toString().substring(0, 6);
    private final String owner = p + "-nina";
    private final Viewer nina = new Viewer(owner, owner + "@example.org", false, false);

    private String n(String name) {
        return p + "-" + name;
    }

    private void row(String name, String agentOwner, RuntimeKind kind, String desired, String tags, boolean deleted) {
        pool.preparedQuery("""
                insert into agent (name, owner, runtime_kind, harness, node_type, node_config, tags, desired_state,
                                   created_at, updated_at, deleted_at)
                values ($1, $2, $3, $4, $5, $6::jsonb, $7::text[], $8, now(), now(), case when $9 then now() end)""")
                .execute(Tuple.tuple().addString(n(name)).addString(agentOwner).addString(kind.wire())
                        .addString(kind == RuntimeKind.CONTAINER ? "claude-code" : null)
                        .addString(kind == RuntimeKind.NATIVE ? "router" : null)
                        .addString(kind == RuntimeKind.NATIVE ? "{\"tag\":\"x\"}" : null)
                        .addArrayOfString(tags.isEmpty() ? new String[0] : tags.split(",")).addString(desired).addBoolean(deleted))
                .await().atMost(WAIT);
    }

    private AgentContainer container(String name, String state) {
        return new AgentContainer("id-" + name, n(name), "img", state, ContainerStatus.of(state),
                "codex", null, null, null, null, Instant.parse("2026-11-02T10:00:00Z"), null,
                Map.of("trinity.platform", "agent"));
    }

    @BeforeEach
    void rows() {
        row("alpha", owner, RuntimeKind.CONTAINER, "running", p + "ops", false);
        row("bravo", owner, RuntimeKind.CONTAINER, "running", "", false);
        row("charlie", owner, RuntimeKind.NATIVE, "running", p + "ops," + p + "review", false);
        row("delta", owner, RuntimeKind.NATIVE, "stopped", "", false);
        row("echo", p + "-olga", RuntimeKind.CONTAINER, "stopped", "", false);
        row("foxtrot", p + "-olga", RuntimeKind.CONTAINER, "stopped", "", false);
        row("golf", owner, RuntimeKind.CONTAINER, "stopped", "", true);
        pool.preparedQuery("insert into agent_share (agent_id, email, shared_by, shared_at) "
                        + "select id, $1, 'olga', now() from agent where name = $2")
                .execute(Tuple.of(nina.email(), n("echo"))).await().atMost(WAIT);
    }

    private final EngineListing engine = EngineListing.of(List.of(
            container("alpha", "exited"), container("orphan", "running"), container("golf", "running")));

    private AgentPage page(Viewer viewer, ListQuery query, EngineListing listing) {
        return store.page(viewer, query, listing).await().atMost(WAIT);
    }

    private static ListQuery all() {
        return new ListQuery(null, null, Set.of(), 0, 50);
    }

    @Test
    void ownedAndSharedRowsTakeTheirContainersStatusAndMissingOnesNeedAStart() {
        AgentPage page = page(nina, all(), engine);

        assertThat(page.items()).extracting(AgentView::name, AgentView::status, AgentView::needsStart, AgentView::orphan)
                .containsExactly(
                        tuple(n("alpha"), "stopped", false, false),
                        tuple(n("bravo"), "missing", true, false),
                        tuple(n("charlie"), "running", false, false),
                        tuple(n("delta"), "stopped", false, false),
                        tuple(n("echo"), "missing", true, false));
        assertThat(page.total()).isEqualTo(5);
        AgentView alpha = page.items().get(0);
        assertThat(alpha.containerId()).isEqualTo("id-alpha");
        assertThat(alpha.image()).isEqualTo("img");
        assertThat(alpha.tags()).containsExactly(p + "ops");
        assertThat(alpha.owner()).isEqualTo(owner);
        assertThat(alpha.harness()).isEqualTo("claude-code");
        assertThat(alpha.createdAt()).isNotNull();
        AgentView charlie = page.items().get(2);
        assertThat(charlie.runtimeKind()).isEqualTo(RuntimeKind.NATIVE);
        assertThat(charlie.nodeType()).isEqualTo("router");
        assertThat(charlie.containerId()).isNull();
    }

    @Test
    void anUnavailableEngineLeavesEveryAgentListedWithContainerOnesUnknown() {
        AgentPage page = page(nina, all(), EngineListing.unavailable("cannot be reached"));

        assertThat(page.items()).extracting(AgentView::name, AgentView::status, AgentView::needsStart).containsExactly(
                tuple(n("alpha"), "unknown", false), tuple(n("bravo"), "unknown", false),
                tuple(n("charlie"), "running", false), tuple(n("delta"), "stopped", false),
                tuple(n("echo"), "unknown", false));
    }

    @Test
    void orphansAreListedForAdminsOnlyAndADeletedRowClaimsNoContainer() {
        Viewer admin = new Viewer("root", "root@example.org", true, true);
        AgentPage running = page(admin, new ListQuery(RuntimeKind.CONTAINER, "running", Set.of(), 0, 500), engine);

        assertThat(running.items()).filteredOn(v -> v.name().startsWith(p))
                .extracting(AgentView::name, AgentView::orphan, AgentView::owner, AgentView::harness, AgentView::containerId)
                .containsExactly(tuple(n("golf"), true, null, "codex", "id-golf"), tuple(n("orphan"), true, null, "codex", "id-orphan"));
        assertThat(page(admin, new ListQuery(null, null, Set.of(), 0, 500), engine).items()).extracting(AgentView::name)
                .contains(n("foxtrot"), n("alpha"));
        assertThat(page(nina, all(), engine).items()).extracting(AgentView::name).doesNotContain(n("orphan"), n("golf"));
    }

    @Test
    void filtersByKindStatusAndAnyTagThenCountsAndPages() {
        EngineListing alphaRunning = EngineListing.of(List.of(container("alpha", "running")));

        assertThat(page(nina, new ListQuery(RuntimeKind.NATIVE, null, Set.of(), 0, 50), alphaRunning).items())
                .extracting(AgentView::name).containsExactly(n("charlie"), n("delta"));
        assertThat(page(nina, new ListQuery(null, "running", Set.of(), 0, 50), alphaRunning).items())
                .extracting(AgentView::name).containsExactly(n("alpha"), n("charlie"));
        assertThat(page(nina, new ListQuery(null, "missing", Set.of(), 0, 50), alphaRunning).items())
                .extracting(AgentView::name).containsExactly(n("bravo"), n("echo"));
        assertThat(page(nina, new ListQuery(null, null, Set.of(p + "review", "x"), 0, 50), alphaRunning).items())
                .extracting(AgentView::name).containsExactly(n("charlie"));

        AgentPage second = page(nina, new ListQuery(null, null, Set.of(), 1, 3), alphaRunning);
        assertThat(second.total()).isEqualTo(5);
        assertThat(second.items()).extracting(AgentView::name).containsExactly(n("delta"), n("echo"));
        AgentPage beyond = page(nina, new ListQuery(null, null, Set.of(), 9, 3), alphaRunning);
        assertThat(beyond.items()).isEmpty();
        assertThat(beyond.total()).isEqualTo(5);
    }
}
