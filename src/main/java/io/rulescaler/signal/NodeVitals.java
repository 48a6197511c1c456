package io.rulescaler.signal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rulescaler.cluster.ClusterSpec;
import io.rulescaler.cluster.NodeEntity;
import io.rulescaler.cluster.NodeVitalsEntity;
import jakarta.persistence.EntityManager;
import java.time.Instant;

/**
 * Keeps what an agent reports: the latest vitals on the node row (what rules, scale-in and the API
 * read), whether the node is idle by the cluster's {@code size.idle}, and one history row per beat
 * (purged by age like the other signals).
 */
final class NodeVitals {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Longest journal excerpt kept per unit. */
    static final int JOURNAL_MAX = 2000;

    private NodeVitals() {
    }

    static void store(EntityManager em, NodeEntity n, ClusterSpec spec, Instant at, HeartbeatResource.Vitals v, boolean newest) {
        NodeVitalsEntity row = new NodeVitalsEntity();
        row.nodeId = n.id;
        row.at = at;
        row.cpu = v.cpu();
        row.memory = v.memory();
        row.disk = v.disk();
        row.loadAvg = v.load();
        row.unitsJson = units(v);
        em.persist(row);
        if (!newest) {
            return;
        }
        n.vitalsAt = at;
        n.cpu = v.cpu();
        n.memory = v.memory();
        n.disk = v.disk();
        n.loadAvg = v.load();
        n.unitRestarts = v.units() == null || v.units().isEmpty() ? null
                : v.units().stream().mapToInt(u -> u.restarts() == null ? 0 : u.restarts()).sum();
        double below = spec.size().idleOrDefault().cpuBelow();
        if (v.cpu() == null || v.cpu() >= below) {
            n.idleSince = null;
        } else if (n.idleSince == null) {
            n.idleSince = at;
        }
    }

    private static String units(HeartbeatResource.Vitals v) {
        if (v.units() == null || v.units().isEmpty()) {
            return null;
        }
        try {
            return JSON.writeValueAsString(v.units().stream().map(u -> new HeartbeatResource.Unit(u.name(), u.state(), u.restarts(),
                    u.journal() == null ? null : u.journal().substring(Math.max(0, u.journal().length() - JOURNAL_MAX)), u.result())).toList());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
