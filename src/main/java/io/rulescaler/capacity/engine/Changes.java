package io.rulescaler.capacity.engine;

import io.rulescaler.capacity.fact.ClusterView;
import io.rulescaler.capacity.fact.NodeView;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Names the properties that differ between two versions of a state fact, so a session update
 * wakes only the rules that constrain those properties (Drools property reactivity).
 */
final class Changes {

    private Changes() {
    }

    static String[] of(ClusterView a, ClusterView b) {
        List<String> c = new ArrayList<>();
        diff(c, "name", a.getName(), b.getName());
        diff(c, "desired", a.getDesired(), b.getDesired());
        diff(c, "current", a.getCurrent(), b.getCurrent());
        diff(c, "pending", a.getPending(), b.getPending());
        diff(c, "draining", a.getDraining(), b.getDraining());
        if (c.contains("current") || c.contains("pending") || c.contains("draining")) {
            c.add("capacity");
        }
        diff(c, "min", a.getMin(), b.getMin());
        diff(c, "max", a.getMax(), b.getMax());
        diff(c, "paused", a.isPaused(), b.isPaused());
        diff(c, "dryRun", a.isDryRun(), b.isDryRun());
        diff(c, "lastScaleOut", a.getLastScaleOut(), b.getLastScaleOut());
        diff(c, "lastScaleIn", a.getLastScaleIn(), b.getLastScaleIn());
        diff(c, "maxIdle", a.getMaxIdle(), b.getMaxIdle());
        diff(c, "idleForMinutes", a.getIdleForMinutes(), b.getIdleForMinutes());
        diff(c, "healthChecked", a.isHealthChecked(), b.isHealthChecked());
        return c.toArray(String[]::new);
    }

    static String[] of(NodeView a, NodeView b) {
        List<String> c = new ArrayList<>();
        diff(c, "id", a.getId(), b.getId());
        diff(c, "cluster", a.getCluster(), b.getCluster());
        diff(c, "state", a.getState(), b.getState());
        diff(c, "zone", a.getZone(), b.getZone());
        diff(c, "launchedAt", a.getLaunchedAt(), b.getLaunchedAt());
        diff(c, "lastHeartbeat", a.getLastHeartbeat(), b.getLastHeartbeat());
        diff(c, "load", a.getLoad(), b.getLoad());
        diff(c, "cpu", a.getCpu(), b.getCpu());
        diff(c, "memory", a.getMemory(), b.getMemory());
        diff(c, "unitRestarts", a.getUnitRestarts(), b.getUnitRestarts());
        diff(c, "idleMinutes", a.getIdleMinutes(), b.getIdleMinutes());
        return c.toArray(String[]::new);
    }

    private static void diff(List<String> out, String name, Object a, Object b) {
        if (!Objects.equals(a, b)) {
            out.add(name);
        }
    }
}
