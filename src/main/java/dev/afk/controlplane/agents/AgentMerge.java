package dev.afk.controlplane.agents;

import dev.afk.controlplane.agents.container.AgentContainer;
import dev.afk.controlplane.agents.container.EngineListing;
import dev.afk.controlplane.agents.nativekind.NativeRuntime;
import dev.afk.controlplane.agents.runtime.AgentStatus;
import dev.afk.controlplane.agents.runtime.RuntimeKind;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The agent list as the union of database rows and labelled containers. Pure: no I/O.
 * <ul>
 *   <li>container row + container → the container's mapped status;</li>
 *   <li>container row, no container → {@code missing} with {@code needsStart};</li>
 *   <li>container row, engine unavailable → {@code unknown};</li>
 *   <li>native row → running or stopped, from its desired state;</li>
 *   <li>container without a row → an orphan, listed only for admins.</li>
 * </ul>
 */
final class AgentMerge {

    private AgentMerge() {}

    /**
     * @param rows          the live rows the viewer may see (for an admin: every live row)
     * @param withOrphans   whether to list containers no row claims (admins only)
     */
    static List<AgentView> merge(List<AgentRow> rows, EngineListing engine, boolean withOrphans) {
        Map<String, AgentContainer> containers = new HashMap<>();
        engine.containers().forEach(c -> containers.put(c.agentName(), c));
        List<AgentView> views = new ArrayList<>(rows.size() + (withOrphans ? containers.size() : 0));
        for (AgentRow row : rows) {
            views.add(view(row, containers.remove(row.name), engine.available()));
        }
        if (withOrphans) {
            containers.values().forEach(c -> views.add(orphan(c)));
        }
        views.sort(Comparator.comparing(AgentView::name));
        return views;
    }

    static AgentView view(AgentRow row, AgentContainer container, boolean engineAvailable) {
        String status;
        if (row.kind() == RuntimeKind.NATIVE) {
            status = NativeRuntime.statusOf(row.spec());
        } else if (container != null) {
            status = container.status();
        } else {
            status = engineAvailable ? AgentStatus.MISSING : AgentStatus.UNKNOWN;
        }
        return new AgentView(row.name, row.kind(), row.harness, row.nodeType, row.owner, row.tagList(), status,
                row.desiredState, AgentStatus.MISSING.equals(status), false,
                container == null ? null : container.id(), container == null ? null : container.image(),
                row.createdAt.toInstant());
    }

    static AgentView orphan(AgentContainer c) {
        return new AgentView(c.agentName(), RuntimeKind.CONTAINER, c.harness(), null, null, List.of(), c.status(), null,
                false, true, c.id(), c.image(), c.created());
    }
}
