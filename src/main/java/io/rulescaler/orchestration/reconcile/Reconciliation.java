package io.rulescaler.orchestration.reconcile;

import io.rulescaler.cluster.NodeState;
import io.rulescaler.provider.Installation;
import io.rulescaler.provider.Machine;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Compares one cluster's node rows with the machines its provider profile reports, without side
 * effects: which nodes lost their machine, which machines can be adopted by the node they are
 * tagged for, which are ours but unknown to the database, and how many belong to someone else.
 */
public final class Reconciliation {

    /** Node states whose machine must exist (or is being made, which only an operation does). */
    static final Set<NodeState> EXPECT_MACHINE = Set.of(NodeState.REQUESTED, NodeState.PROVISIONING,
            NodeState.CONFIGURING, NodeState.ACTIVE, NodeState.DRAINING);

    private Reconciliation() {
    }

    /** A node row as read before the provider was asked. */
    public record NodeRow(long id, String name, NodeState state, String providerId, Instant since) {
    }

    /** A node row whose machine the provider no longer reports. */
    public record Vanished(long nodeId, String node, String state, String providerId) {
    }

    /** A machine tagged for a node row that has no machine recorded. */
    public record Adoptable(long nodeId, String node, String providerId, String address) {
    }

    /** A machine of this installation and cluster that no node row accounts for. */
    public record Unknown(String providerId, String name, String node, String nodeId, String reason,
                          Map<String, String> tags) {
    }

    /** What the comparison found. */
    public record Findings(List<Vanished> vanished, List<Adoptable> adoptable, List<Unknown> unknown, int foreign,
                           int matched) {
    }

    /**
     * Compares {@code rows} of cluster {@code cluster} with {@code machines} (all machines of the
     * profile). A machine is this cluster's when it carries the cluster tag and either this
     * installation's id or, for machines older than that tag, the id and name of one of our rows.
     * Rows younger than {@code grace} are never counted as vanished (providers list new machines late).
     */
    public static Findings compare(String cluster, String installation, List<NodeRow> rows, List<Machine> machines,
                                   Instant now, Duration grace) {
        Map<Long, NodeRow> byId = new HashMap<>();
        rows.forEach(r -> byId.put(r.id(), r));
        Set<String> listed = new HashSet<>();
        machines.forEach(m -> listed.add(m.providerId()));
        Set<Long> accounted = new HashSet<>();
        List<Adoptable> adoptable = new ArrayList<>();
        List<Unknown> unknown = new ArrayList<>();
        int foreign = 0;
        for (Machine m : machines) {
            Map<String, String> tags = m.tags() == null ? Map.of() : m.tags();
            if (!cluster.equals(tags.get(Machine.TAG_CLUSTER))) {
                continue;
            }
            String nodeIdTag = tags.get(Machine.TAG_NODE_ID);
            String nodeTag = tags.get(Machine.TAG_NODE);
            NodeRow row = parse(nodeIdTag) == null ? null : byId.get(parse(nodeIdTag));
            boolean namesMatch = row != null && row.name().equals(nodeTag);
            boolean ourId = installation != null && installation.equals(tags.get(Machine.TAG_INSTALLATION));
            if (!Installation.mayBeOurs(tags, installation) || !ourId && !namesMatch) {
                foreign++; // another installation's, or an untagged one whose node id and name are not ours
                continue;
            }
            if (namesMatch && m.providerId().equals(row.providerId()) && row.state() != NodeState.TERMINATED) {
                accounted.add(row.id());
                continue;
            }
            String reason;
            if (row == null) {
                reason = "tagged for node " + nodeTag + " (id " + nodeIdTag + "), which the database does not have";
            } else if (!namesMatch) {
                reason = "tagged for node " + nodeTag + " (id " + nodeIdTag + "), but node id " + row.id() + " is " + row.name();
            } else if (row.state() == NodeState.TERMINATED) {
                reason = "its node " + row.name() + " is terminated";
            } else if (row.providerId() == null && !accounted.contains(row.id())) {
                adoptable.add(new Adoptable(row.id(), row.name(), m.providerId(), m.address()));
                accounted.add(row.id());
                continue;
            } else {
                reason = "a second machine for node " + row.name() + " (its machine is "
                        + (row.providerId() == null ? "another tagged one" : row.providerId()) + ")";
            }
            unknown.add(new Unknown(m.providerId(), m.name(), nodeTag, nodeIdTag, reason, tags));
        }
        List<Vanished> vanished = new ArrayList<>();
        int matched = 0;
        for (NodeRow r : rows) {
            if (r.state() == NodeState.TERMINATED) {
                continue;
            }
            if (r.providerId() != null && listed.contains(r.providerId()) || accounted.contains(r.id())) {
                matched++;
                continue;
            }
            boolean settled = r.since() == null || !r.since().isAfter(now.minus(grace));
            if (EXPECT_MACHINE.contains(r.state()) && settled) {
                vanished.add(new Vanished(r.id(), r.name(), r.state().label(), r.providerId()));
            }
        }
        return new Findings(vanished, adoptable, unknown, foreign, matched);
    }

    private static Long parse(String id) {
        try {
            return id == null ? null : Long.valueOf(id);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
