package io.rulescaler.action.compute;

import io.rulescaler.action.TaskContext;
import io.rulescaler.provider.ComputeProvider;
import io.rulescaler.provider.Installation;
import io.rulescaler.provider.Machine;
import io.rulescaler.provider.ProviderException;
import java.util.Map;
import java.util.Optional;

/**
 * Finds the machine that belongs to a node by its tags. A node id alone is not enough: another
 * installation (or this one after its database was replaced) may have tagged machines with the
 * same id, and adopting or destroying those would take someone else's machine. A machine tagged
 * with another installation's id is never this node's, whatever its other tags say.
 */
final class TaggedMachines {

    private TaggedMachines() {
    }

    static Optional<Machine> find(ComputeProvider provider, String cluster, TaskContext.TargetNode node) throws ProviderException {
        String ours = provider.installation().orElse(null);
        String id = Long.toString(node.id());
        Optional<Machine> byId = provider.findByTag(Machine.TAG_NODE_ID, id);
        if (byId.isEmpty()) {
            return byId;
        }
        if (belongs(byId.get(), ours, cluster, node)) {
            return byId;
        }
        return provider.list().stream().filter(m -> belongs(m, ours, cluster, node)).findFirst();
    }

    /** Same cluster, node id and node name, and no other installation's id (see {@link Installation}). */
    static boolean belongs(Machine m, String installation, String cluster, TaskContext.TargetNode node) {
        Map<String, String> tags = m.tags();
        return tags != null && Installation.mayBeOurs(tags, installation) && cluster.equals(tags.get(Machine.TAG_CLUSTER))
                && Long.toString(node.id()).equals(tags.get(Machine.TAG_NODE_ID))
                && node.name().equals(tags.get(Machine.TAG_NODE));
    }
}
