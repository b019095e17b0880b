package dev.afk.controlplane.agents;

import static dev.afk.controlplane.agents.AgentApi.adopt;
import static dev.afk.controlplane.agents.AgentApi.createRouter;
import static dev.afk.controlplane.agents.AgentApi.person;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import dev.afk.controlplane.agents.container.ContainerView;
import dev.afk.controlplane.agents.container.docker.DockerEngine;
import dev.afk.controlplane.agents.runtime.Feature;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.core.runtime.context.VertxContextSafetyToggle;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.mutiny.core.Vertx;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The registry with its engine down: the same database, a catalog whose engine client points
 * at a socket nobody listens on. Every database agent is still listed; container ones are unknown.
 */
@QuarkusTest
class EngineDownTests {

    private static EngineFixture fixture;

    @Inject
    AgentStore store;

    @Inject
    Runtimes runtimes;

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
    void databaseAgentsAreListedWithContainerOnesUnknown() throws Exception {
        String owner = "dora";
        String container = EngineFixture.agentName("down-c");
        fixture.createAgentContainer(container, "claude-code");
        adopt(container, owner, 3).statusCode(201);
        String nativeAgent = EngineFixture.agentName("down-n");
        createRouter(person(owner), nativeAgent, "pool").statusCode(201);

        DockerEngine dead = new DockerEngine(vertx, "unix:///tmp/afk-engine-down.sock", "1.41", Duration.ofSeconds(1), 3,
                Duration.ofSeconds(30));
        ContainerView view = new ContainerView(dead, Duration.ofSeconds(1));
        view.watch();
        await().atMost(Duration.ofSeconds(10)).until(() -> String.valueOf(view.current().problem()).contains("cannot be reached"));
        AgentCatalog catalog = new AgentCatalog(store, dead, view, runtimes);
        Viewer dora = new Viewer(owner, owner + "@example.org", false, false);

        AgentPage page = onContext(() -> catalog.list(dora, new ListQuery(null, null, Set.of(), 0, 50)));

        assertThat(page.unavailable()).containsExactly("engine");
        assertThat(page.sources()).containsEntry("engine", "unavailable");
        assertThat(page.items()).extracting(AgentView::name, AgentView::status, AgentView::needsStart)
                .containsExactlyInAnyOrder(tuple(container, "unknown", false), tuple(nativeAgent, "stopped", false));

        ResolvedAgent resolved = onContext(() -> catalog.visible(container, dora));
        assertThat(resolved.view().status()).isEqualTo("unknown");
        assertThat(resolved.features()).contains(Feature.LOGS, Feature.TASKS);
        view.close();
        dead.close();
    }

    private <T> T onContext(Supplier<Uni<T>> work) throws Exception {
        CompletableFuture<T> result = new CompletableFuture<>();
        Context context = VertxContext.createNewDuplicatedContext(vertx.getDelegate().getOrCreateContext());
        VertxContextSafetyToggle.setContextSafe(context, true);
        context.runOnContext(ignored -> work.get().subscribe().with(result::complete, result::completeExceptionally));
        return result.get(30, TimeUnit.SECONDS);
    }
}
