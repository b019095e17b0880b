package dev.afk.controlplane.agents;

import dev.afk.controlplane.agents.container.AgentContainer;
import dev.afk.controlplane.agents.container.ContainerEngine;
import dev.afk.controlplane.agents.container.ContainerView;
import dev.afk.controlplane.agents.container.EngineListing;
import dev.afk.controlplane.agents.container.EngineUnavailableException;
import dev.afk.controlplane.agents.runtime.AgentSpec;
import dev.afk.controlplane.agents.runtime.RuntimeKind;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which agents exist and what state they are in: database rows for existence and access, the
 * container engine for container state. Access failures and absence look the same (404).
 */
@ApplicationScoped
class AgentCatalog {

    static final String DATABASE = "database";
    static final String ENGINE = "engine";

    private final AgentStore store;
    private final ContainerEngine engine;
    private final ContainerView view;
    private final Runtimes runtimes;

    AgentCatalog(AgentStore store, ContainerEngine engine, ContainerView view, Runtimes runtimes) {
        this.store = store;
        this.engine = engine;
        this.view = view;
        this.runtimes = runtimes;
    }

    /**
     * The merged list, filtered and paged in the database, with container state from the view the
     * engine's events keep: a listing never waits for the engine.
     */
    Uni<AgentPage> list(Viewer viewer, ListQuery query) {
        EngineListing containers = view.current();
        Map<String, String> sources = new LinkedHashMap<>();
        sources.put(DATABASE, "available");
        sources.put(ENGINE, containers.available() ? "available" : "unavailable");
        List<String> unavailable = containers.available() ? List.of() : List.of(ENGINE);
        return store.page(viewer, query, containers)
                .map(page -> new AgentPage(page.items(), page.page(), page.size(), page.total(), sources, unavailable));
    }

    /** The agent if the viewer may see it: an admin, its owner, or someone it is shared with. */
    Uni<ResolvedAgent> visible(String name, Viewer viewer) {
        return resolve(name, viewer, false);
    }

    /** The agent if the viewer may manage it (share, delete, start, stop): an admin or its owner. */
    Uni<ResolvedAgent> managed(String name, Viewer viewer) {
        return resolve(name, viewer, true).map(agent -> {
            agent.claimedRow();
            return agent;
        });
    }

    private Uni<ResolvedAgent> resolve(String name, Viewer viewer, boolean manage) {
        if (!AgentNames.valid(name)) {
            return Uni.createFrom().failure(RegistryProblem.notFound());
        }
        return store.findLive(name).flatMap(row -> {
            if (row == null) {
                return viewer.admin() ? orphan(name) : Uni.createFrom().failure(RegistryProblem.notFound());
            }
            if (viewer.owns(row)) {
                return withState(row, true);
            }
            if (manage) {
                return Uni.createFrom().failure(RegistryProblem.notFound());
            }
            return store.sharedWith(row.id, viewer.email()).flatMap(shared -> shared ? withState(row, false)
                    : Uni.createFrom().failure(RegistryProblem.notFound()));
        });
    }

    private Uni<ResolvedAgent> withState(AgentRow row, boolean manageable) {
        AgentSpec spec = row.spec();
        var features = runtimes.of(spec.kind()).features(spec);
        if (spec.kind() == RuntimeKind.NATIVE) {
            return Uni.createFrom().item(new ResolvedAgent(row, AgentMerge.view(row, null, true), null, features, manageable));
        }
        return engine.inspect(AgentContainer.containerName(row.name))
                .map(found -> new ResolvedAgent(row, AgentMerge.view(row, found.orElse(null), true), found.orElse(null),
                        features, manageable))
                .onFailure(EngineUnavailableException.class)
                .recoverWithItem(() -> new ResolvedAgent(row, AgentMerge.view(row, null, false), null, features, manageable));
    }

    /** A labelled container no row claims: visible to admins only, and only while it exists. */
    private Uni<ResolvedAgent> orphan(String name) {
        return engine.inspect(AgentContainer.containerName(name))
                .onFailure(EngineUnavailableException.class).recoverWithItem(Optional.empty())
                .map(found -> found.map(c -> {
                    AgentSpec spec = new AgentSpec(name, null, RuntimeKind.CONTAINER, c.harness(), null, null, null, null);
                    return new ResolvedAgent(null, AgentMerge.orphan(c), c, runtimes.of(RuntimeKind.CONTAINER).features(spec),
                            false);
                }).orElseThrow(RegistryProblem::notFound));
    }
}
