package dev.afk.controlplane.agents.container.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import dev.afk.controlplane.agents.EngineFixture;
import dev.afk.controlplane.agents.container.AgentContainer;
import dev.afk.controlplane.agents.container.ContainerEvent;
import dev.afk.controlplane.agents.container.EngineListing;
import dev.afk.controlplane.agents.container.EngineUnavailableException;
import dev.afk.controlplane.agents.container.LogLine;
import dev.afk.controlplane.agents.container.NoSuchContainerException;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.subscription.Cancellable;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.Vertx;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The Docker Engine API adapter against podman's compatible service. */
@QuarkusTest
class DockerEngineTests {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static EngineFixture fixture;

    @Inject
    DockerEngine engine;

    @Inject
    Vertx vertx;

    @BeforeAll
    static void fixture() {
        fixture = new EngineFixture();
    }

    @AfterAll
    static void removeContainers() {
        fixture.close();
    }

    @Test
    void listsOnlyLabelledContainersWithTheirTrinityLabels() {
        String agent = EngineFixture.agentName("listed");
        String id = fixture.createAgentContainer(agent, "codex");
        String stranger = "agent-" + EngineFixture.agentName("unlabelled");
        fixture.create(stranger, new JsonObject().put("trinity.platform", "agent-workspace"), List.of("true"));

        EngineListing listing = engine.listAgents().await().atMost(WAIT);

        assertThat(listing.available()).isTrue();
        assertThat(listing.containers()).extracting(AgentContainer::agentName)
                .contains(agent).doesNotContain(stranger.substring("agent-".length()));
        AgentContainer container = listing.containers().stream().filter(c -> c.agentName().equals(agent)).findFirst().orElseThrow();
        assertThat(container.id()).isEqualTo(id);
        assertThat(container.state()).isEqualTo("created");
        assertThat(container.status()).isEqualTo("stopped");
        assertThat(container.harness()).isEqualTo("codex");
        assertThat(container.sshPort()).isEqualTo(2222);
        assertThat(container.cpu()).isEqualTo("2");
        assertThat(container.template()).isNull();
        assertThat(container.created()).hasToString("2026-11-01T10:00:00Z");
    }

    @Test
    void startsStopsInspectsAndReadsDemultiplexedLogs() {
        String agent = EngineFixture.agentName("lifecycle");
        String name = AgentContainer.containerName(agent);
        fixture.createAgentContainer(agent, "claude-code");

        engine.start(name).await().atMost(WAIT);
        engine.start(name).await().atMost(WAIT);
        assertThat(engine.inspect(name).await().atMost(WAIT)).map(AgentContainer::status).contains("running");
        await().atMost(WAIT).untilAsserted(() -> assertThat(engine.logs(name, 10).await().atMost(WAIT))
                .contains(new LogLine("stdout", "started"), new LogLine("stderr", "oops")));
        assertThat(engine.stats(name).await().atMost(WAIT).memoryUsedBytes()).isPositive();

        engine.stop(name).await().atMost(WAIT);
        engine.stop(name).await().atMost(WAIT);
        assertThat(engine.inspect(name).await().atMost(WAIT)).map(AgentContainer::status).contains("stopped");
    }

    @Test
    void streamsLabelledContainersChangesAfterConnecting() {
        List<ContainerEvent> seen = new CopyOnWriteArrayList<>();
        Cancellable stream = engine.events().subscribe().with(seen::add);
        try {
            await().atMost(WAIT).until(() -> !seen.isEmpty());
            assertThat(seen.get(0).kind()).isEqualTo(ContainerEvent.Kind.CONNECTED);

            String plain = "agent-" + EngineFixture.agentName("quiet");
            fixture.create(plain, new JsonObject().put("trinity.platform", "agent-workspace"), List.of("true"));
            String agent = EngineFixture.agentName("events");
            String name = AgentContainer.containerName(agent);
            String id = fixture.createAgentContainer(agent, "gemini-cli");
            fixture.start(name);
            fixture.remove(name);

            await().atMost(WAIT).until(() -> seen.stream().anyMatch(e -> e.kind() == ContainerEvent.Kind.REMOVED));
            List<ContainerEvent> mine = seen.stream().filter(e -> id.equals(e.id())).toList();
            assertThat(mine).extracting(ContainerEvent::kind, ContainerEvent::state).containsSubsequence(
                    tuple(ContainerEvent.Kind.CHANGED, "created"), tuple(ContainerEvent.Kind.CHANGED, "running"),
                    tuple(ContainerEvent.Kind.REMOVED, null));
            ContainerEvent created = mine.get(0);
            assertThat(created.name()).isEqualTo(name);
            assertThat(created.image()).isEqualTo(EngineFixture.IMAGE);
            assertThat(created.labels()).containsEntry("trinity.agent-runtime", "gemini-cli").doesNotContainKey("name");
            assertThat(created.applyTo(null).agentName()).isEqualTo(agent);
            assertThat(seen).noneMatch(e -> e.name() != null && e.name().equals(plain));
        } finally {
            stream.cancel();
        }
    }

    @Test
    void anUnreachableEngineFailsTheEventStream() {
        DockerEngine dead = new DockerEngine(vertx, "unix:///tmp/afk-no-engine-here.sock", "1.41", Duration.ofSeconds(2), 2,
                Duration.ofMinutes(5));
        assertThatThrownBy(() -> dead.events().collect().asList().await().atMost(WAIT))
                .isInstanceOf(EngineUnavailableException.class).hasMessageContaining("cannot be reached");
        dead.close();
    }

    @Test
    void absentAndUnlabelledContainersAreNotAgents() {
        String absent = "agent-" + EngineFixture.agentName("absent");
        assertThat(engine.inspect(absent).await().atMost(WAIT)).isEmpty();
        assertThatThrownBy(() -> engine.start(absent).await().atMost(WAIT)).isInstanceOf(NoSuchContainerException.class);

        String plain = "agent-" + EngineFixture.agentName("plain");
        fixture.create(plain, new JsonObject(), List.of("true"));
        assertThat(engine.inspect(plain).await().atMost(WAIT)).isEqualTo(Optional.empty());
    }

    @Test
    void anUnreachableEngineIsAReportedStateAndOpensTheBreaker() {
        DockerEngine dead = new DockerEngine(vertx, "unix:///tmp/afk-no-engine-here.sock", "1.41", Duration.ofSeconds(2), 2,
                Duration.ofMinutes(5));
        DockerEngine deadTcp = new DockerEngine(vertx, "tcp://127.0.0.1:1", "1.41", Duration.ofSeconds(2), 2,
                Duration.ofMinutes(5));

        for (DockerEngine down : List.of(dead, deadTcp)) {
            EngineListing first = down.listAgents().await().atMost(WAIT);
            assertThat(first.available()).isFalse();
            assertThat(first.containers()).isEmpty();
            assertThat(first.problem()).contains("cannot be reached");
            down.listAgents().await().atMost(WAIT);
            assertThat(down.listAgents().await().atMost(WAIT).problem()).contains("not asking it");
            assertThatThrownBy(() -> down.inspect("agent-x").await().atMost(WAIT))
                    .isInstanceOf(EngineUnavailableException.class);
            down.close();
        }
    }

    @Test
    void engineAddressesFollowDockerHost() {
        assertThat(EngineAddress.parse("unix:///var/run/docker.sock").socket().path()).isEqualTo("/var/run/docker.sock");
        assertThat(EngineAddress.parse("tcp://10.0.0.5:2376").socket().port()).isEqualTo(2376);
        assertThat(EngineAddress.parse("tcp://engine").socket().port()).isEqualTo(2375);
        assertThatThrownBy(() -> EngineAddress.parse("npipe:////./pipe/docker_engine")).isInstanceOf(IllegalArgumentException.class);
        assertThat(DockerEngine.AGENT_FILTER).isEqualTo("{\"label\":[\"trinity.platform=agent\"]}");
    }

    @Test
    void theFilterIsTheJsonLabelMapTheEngineUnderstands() {
        String agent = EngineFixture.agentName("filter");
        fixture.createAgentContainer(agent, "codex");
        var response = fixture.get("/containers/json", Map.of("all", "true", "filters", DockerEngine.AGENT_FILTER));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.bodyAsJsonArray().stream().map(JsonObject.class::cast)
                .allMatch(c -> "agent".equals(c.getJsonObject("Labels").getString("trinity.platform")))).isTrue();
    }
}
