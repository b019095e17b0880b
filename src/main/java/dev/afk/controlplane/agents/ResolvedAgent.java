package dev.afk.controlplane.agents;

import dev.afk.controlplane.agents.container.AgentContainer;
import dev.afk.controlplane.agents.runtime.Feature;
import java.util.Set;

/**
 * An agent the caller may see, with its current status and features.
 *
 * @param row       null for an orphan container (admins only)
 * @param container null when there is none, or the engine could not be asked
 */
record ResolvedAgent(AgentRow row, AgentView view, AgentContainer container, Set<Feature> features, boolean manageable) {

    String name() {
        return view.name();
    }

    /** Fails with 409 naming the feature when this agent lacks it. */
    ResolvedAgent require(Feature feature) {
        if (!features.contains(feature)) {
            throw RegistryProblem.featureNotSupported(name(), feature);
        }
        return this;
    }

    /** The database row, which every change needs: an orphan has to be adopted first. */
    AgentRow claimedRow() {
        if (row == null) {
            throw RegistryProblem.orphan(name());
        }
        return row;
    }
}
