package dev.afk.controlplane.agents.nativekind;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/** Every node type the service ships, by name. */
@ApplicationScoped
public class NodeTypes {

    private final Map<String, NodeType> byName = new TreeMap<>();

    NodeTypes(Instance<NodeType> nodeTypes) {
        for (NodeType type : nodeTypes) {
            NodeType clash = byName.put(type.name(), type);
            if (clash != null) {
                throw new IllegalStateException("Two node types are named " + type.name());
            }
        }
    }

    public Optional<NodeType> find(String name) {
        return Optional.ofNullable(name).map(byName::get);
    }

    public Set<String> names() {
        return byName.keySet();
    }

    /** The node types the registry API may create agents of. */
    public Set<String> creatable() {
        return byName.values().stream().filter(type -> !type.serviceOwned()).map(NodeType::name)
                .collect(Collectors.toCollection(TreeSet::new));
    }
}
