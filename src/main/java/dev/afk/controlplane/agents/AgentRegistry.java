package dev.afk.controlplane.agents;

import dev.afk.controlplane.agents.container.AgentContainer;
import dev.afk.controlplane.agents.container.ContainerEngine;
import dev.afk.controlplane.agents.nativekind.NodeType;
import dev.afk.controlplane.agents.nativekind.NodeTypes;
import dev.afk.controlplane.agents.runtime.AgentStatus;
import dev.afk.controlplane.agents.runtime.Feature;
import dev.afk.controlplane.agents.runtime.RegistryConfig;
import dev.afk.controlplane.agents.runtime.RuntimeKind;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jboss.logging.Logger;

/** Creating, adopting, deleting, starting, stopping and sharing agents. */
@ApplicationScoped
class AgentRegistry {

    private static final Logger LOG = Logger.getLogger(AgentRegistry.class);

    private final AgentStore store;
    private final AgentCatalog catalog;
    private final TaskService tasks;
    private final ContainerEngine engine;
    private final NodeTypes nodeTypes;
    private final Runtimes runtimes;
    private final int defaultCapacity;

    AgentRegistry(AgentStore store, AgentCatalog catalog, TaskService tasks, ContainerEngine engine, NodeTypes nodeTypes,
            Runtimes runtimes, RegistryConfig config) {
        this.store = store;
        this.catalog = catalog;
        this.tasks = tasks;
        this.engine = engine;
        this.nodeTypes = nodeTypes;
        this.runtimes = runtimes;
        this.defaultCapacity = config.tasks().defaultCapacity();
    }

    /** A new native agent owned by the caller, stopped until started. */
    Uni<AgentDetail> createNative(Viewer viewer, String name, String nodeTypeName, Map<String, Object> config,
            List<String> tags, Integer capacity) {
        requireName(name);
        NodeType type = nodeTypes.find(nodeTypeName).orElseThrow(() -> RegistryProblem.invalid(
                "Unknown node type '" + nodeTypeName + "'; known: " + String.join(", ", nodeTypes.creatable())));
        if (type.serviceOwned()) {
            throw RegistryProblem.serviceOwnedNodeType(type.name());
        }
        Map<String, Object> nodeConfig = config == null ? Map.of() : config;
        List<String> problems = type.validate(nodeConfig);
        if (!problems.isEmpty()) {
            throw RegistryProblem.invalid("Configuration of node type '" + type.name() + "': " + String.join("; ", problems));
        }
        AgentRow row = newRow(name, viewer.name(), tags, capacity);
        row.runtimeKind = RuntimeKind.NATIVE.wire();
        row.nodeType = type.name();
        row.nodeConfig = nodeConfig;
        row.desiredState = AgentStatus.STOPPED;
        return store.create(row).flatMap(created -> detail(created.name, viewer));
    }

    /** A row for an existing labelled container, so it stops being an orphan. Admins only. */
    Uni<AgentDetail> adopt(Viewer viewer, String name, String owner, List<String> tags, Integer capacity) {
        requireName(name);
        return engine.inspect(AgentContainer.containerName(name)).flatMap(found -> {
            AgentContainer container = found.orElseThrow(() -> RegistryProblem.nothingToAdopt(name));
            AgentRow row = newRow(name, owner == null || owner.isBlank() ? viewer.name() : owner.strip(), tags, capacity);
            row.runtimeKind = RuntimeKind.CONTAINER.wire();
            row.harness = container.harness();
            row.desiredState = AgentStatus.RUNNING.equals(container.status()) ? AgentStatus.RUNNING : AgentStatus.STOPPED;
            return store.create(row);
        }).flatMap(created -> detail(created.name, viewer));
    }

    Uni<AgentDetail> detail(String name, Viewer viewer) {
        return catalog.visible(name, viewer).flatMap(agent -> {
            if (agent.row() == null) {
                return Uni.createFrom().item(detail(agent, null, null));
            }
            Uni<List<AgentShare>> shares = agent.manageable() ? shares(agent) : Uni.createFrom().nullItem();
            return shares.flatMap(list -> tasks.activeCount(agent.row()).map(active -> detail(agent, list, active)));
        });
    }

    private static AgentDetail detail(ResolvedAgent agent, List<AgentShare> shares, Integer active) {
        AgentRow row = agent.row();
        AgentContainer c = agent.container();
        AgentDetail.ContainerInfo container = c == null ? null : new AgentDetail.ContainerInfo(c.id(), c.state(),
                c.sshPort(), c.cpu(), c.memory(), c.template(), c.baseImageVersion());
        return new AgentDetail(agent.view(), agent.features(), row == null ? null : row.nodeConfig,
                row == null ? null : row.maxParallelTasks, row == null ? null : row.wakeOnAnswer, active, agent.manageable(), agent.manageable(), shares, container);
    }

    /** Soft delete: tasks are cancelled, a container is stopped (kept for forensics), the name stays taken. */
    Uni<Void> delete(ResolvedAgent agent) {
        AgentRow row = agent.claimedRow();
        Uni<Void> stopContainer = row.kind() == RuntimeKind.CONTAINER && agent.container() != null
                ? engine.stop(AgentContainer.containerName(row.name))
                        .onFailure().invoke(e -> LOG.warnf("Could not stop the container of deleted agent %s: %s", row.name, e.getMessage()))
                        .onFailure().recoverWithNull()
                : Uni.createFrom().voidItem();
        return tasks.cancelAll(row).call(() -> store.softDelete(row.id)).call(() -> stopContainer).replaceWithVoid();
    }

    /** Starts it, then records that it is wanted running. A missing container is a 409, and changes nothing. */
    Uni<AgentState> start(ResolvedAgent agent, Viewer viewer) {
        return changeRunState(agent, viewer, AgentStatus.RUNNING);
    }

    Uni<AgentState> stop(ResolvedAgent agent, Viewer viewer) {
        return changeRunState(agent, viewer, AgentStatus.STOPPED);
    }

    private Uni<AgentState> changeRunState(ResolvedAgent agent, Viewer viewer, String desired) {
        AgentRow row = agent.claimedRow();
        if (!viewer.operator() && nodeTypes.find(row.nodeType).map(NodeType::serviceOwned).orElse(false)) {
            throw RegistryProblem.operatorRequired(row.name);
        }
        var runtime = runtimes.of(row.kind());
        Uni<Void> change = AgentStatus.RUNNING.equals(desired) ? runtime.start(row.spec()) : runtime.stop(row.spec());
        return change.flatMap(done -> store.setDesiredState(row.id, desired)).flatMap(this::state);
    }

    /** Changes its settings; an agent the service keeps for a repository needs the operator role, as starting it does. */
    Uni<AgentDetail> settings(ResolvedAgent agent, Viewer viewer, boolean wakeOnAnswer) {
        AgentRow row = agent.claimedRow();
        if (!viewer.operator() && nodeTypes.find(row.nodeType).map(NodeType::serviceOwned).orElse(false)) {
            throw RegistryProblem.operatorRequired(row.name);
        }
        return store.setWakeOnAnswer(row.id, wakeOnAnswer).flatMap(changed -> detail(row.name, viewer));
    }

    Uni<AgentState> state(ResolvedAgent agent) {
        return agent.row() == null
                ? Uni.createFrom().item(new AgentState(agent.name(), RuntimeKind.CONTAINER, agent.view().status(), null, false))
                : state(agent.row());
    }

    private Uni<AgentState> state(AgentRow row) {
        return runtimes.of(row.kind()).status(row.spec()).map(status -> new AgentState(row.name, row.kind(), status,
                row.desiredState, AgentStatus.MISSING.equals(status)));
    }

    Uni<List<AgentShare>> shares(ResolvedAgent agent) {
        AgentRow row = agent.require(Feature.SHARING).claimedRow();
        return store.shares(row.id).map(list -> list.stream().map(s -> share(row, s)).toList());
    }

    Uni<AgentShare> share(ResolvedAgent agent, String email, Viewer viewer) {
        AgentRow row = agent.require(Feature.SHARING).claimedRow();
        return store.share(row.id, email.strip().toLowerCase(Locale.ROOT), viewer.name()).map(s -> share(row, s));
    }

    Uni<Boolean> unshare(ResolvedAgent agent, String email) {
        AgentRow row = agent.require(Feature.SHARING).claimedRow();
        return store.unshare(row.id, email.strip().toLowerCase(Locale.ROOT));
    }

    /** Logs and stats come from the engine: container agents only. */
    ResolvedAgent requireContainer(ResolvedAgent agent, Feature feature) {
        agent.require(feature);
        if (agent.view().runtimeKind() != RuntimeKind.CONTAINER) {
            throw RegistryProblem.containerOnly(agent.name(), feature);
        }
        return agent;
    }

    private AgentRow newRow(String name, String owner, List<String> tags, Integer capacity) {
        AgentRow row = new AgentRow();
        row.name = name;
        row.owner = owner;
        row.tags = tags == null ? new String[0] : tags.stream().map(String::strip).distinct().sorted().toArray(String[]::new);
        row.maxParallelTasks = capacity == null ? defaultCapacity : capacity;
        return row;
    }

    private static void requireName(String name) {
        if (!AgentNames.valid(name)) {
            throw RegistryProblem.invalid("name must match " + AgentNames.PATTERN);
        }
        if (AgentNames.reserved(name)) {
            throw RegistryProblem.reservedName(name);
        }
    }

    private static AgentShare share(AgentRow row, AgentShareRow s) {
        return new AgentShare(row.name, s.email, s.sharedBy, s.sharedAt);
    }
}
