package io.rulescaler.action.compute;

import io.rulescaler.action.ActionException;
import io.rulescaler.action.TaskContext;
import io.rulescaler.provider.ComputeProvider;
import io.rulescaler.provider.Machine;
import java.util.Map;
import java.util.Optional;

/**
 * Finds the machine that belongs to a node by its tags. A node id alone is not enough: another
 * installation (or this one after its database was replaced) may have tagged machines with the
 * same id, and adopting or destroying those would take someone else's machine.
 */
final class TaggedMachines {

    private TaggedMachines() {
    }

    static Optional<Machine> find(ComputeProvider provider, String cluster, TaskContext.TargetNode node) throws ActionException {
        String id = Long.toString(node.id());
        Optional<Machine> byId = provider.findByTag(Machine.TAG_NODE_ID, id);
        if (byId.isEmpty()) {
            return byId;
        }
        if (belongs(byId.get(), cluster, node)) {
            return byId;
        }
        return provider.list().stream().filter(m -> belongs(m, cluster, node)).findFirst();
    }

    static boolean belongs(Machine m, String cluster, TaskContext.TargetNode node) {
        Map<String, String> tags = m.tags();
        return tags != null && cluster.equals(tags.get(Machine.TAG_CLUSTER))
                && Long.toString(node.id()).equals(tags.get(Machine.TAG_NODE_ID))
                && node.name().equals(tags.get(Machine.TAG_NODE));
    }
}
