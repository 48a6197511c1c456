package io.rulescaler.signal;

import io.rulescaler.capacity.ClusterSessions;
import io.rulescaler.capacity.fact.Alert;
import io.rulescaler.capacity.fact.Heartbeat;
import io.rulescaler.capacity.fact.Sample;
import io.rulescaler.capacity.lease.SessionConfig;
import io.rulescaler.capacity.lease.SessionLeases;
import jakarta.enterprise.context.ApplicationScoped;
import io.quarkus.narayana.jta.QuarkusTransaction;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Sends each signal to its cluster's session: straight into the in-memory session when this
 * instance holds the cluster's lease (the fast path), otherwise into {@link SignalInbox} as
 * pending, for the owner to take in. Samples and heartbeats the owner takes in itself are stored
 * too (unless configured off), so a new owner or a restart rebuilds the session's windows.
 */
@ApplicationScoped
public class SignalRouter {

    private final ClusterSessions sessions;
    private final SessionLeases leases;
    private final SignalInbox inbox;
    private final SessionConfig config;

    public SignalRouter(ClusterSessions sessions, SessionLeases leases, SignalInbox inbox, SessionConfig config) {
        this.sessions = sessions;
        this.leases = leases;
        this.inbox = inbox;
        this.config = config;
    }

    /** A batch of one cluster's samples (pushed or polled). */
    public void samples(String cluster, List<Sample> samples) {
        boolean mine = leases.epochOrAcquire(cluster) != 0;
        if (!mine || config.storeOwnerSignals()) {
            inbox.samples(cluster, samples, !mine);
        }
        if (mine) {
            sessions.submit(cluster, s -> samples.forEach(s::event));
        }
    }

    /**
     * A pushed batch's samples of several clusters: every row stored with one multi-row insert and one
     * commit (was a round trip and a commit per cluster), then the owned clusters' samples handed to their sessions.
     */
    public void samples(Map<String, List<Sample>> byCluster) {
        Map<String, List<Sample>> mine = new LinkedHashMap<>();
        Map<String, List<Sample>> store = new LinkedHashMap<>();
        Set<String> pending = new HashSet<>();
        byCluster.forEach((cluster, samples) -> {
            if (leases.epochOrAcquire(cluster) != 0) {
                mine.put(cluster, samples);
                if (config.storeOwnerSignals()) {
                    store.put(cluster, samples);
                }
            } else {
                pending.add(cluster);
                store.put(cluster, samples);
            }
        });
        if (!store.isEmpty()) {
            QuarkusTransaction.requiringNew().run(() -> inbox.samples(store, pending));
        }
        mine.forEach((cluster, samples) -> sessions.submit(cluster, s -> samples.forEach(s::event)));
    }

    /** A node's heartbeat. */
    public void heartbeat(Heartbeat hb) {
        boolean mine = leases.epochOrAcquire(hb.getCluster()) != 0;
        if (!mine || config.storeOwnerSignals()) {
            inbox.heartbeat(hb, !mine);
        }
        if (mine) {
            sessions.submit(hb.getCluster(), s -> s.event(hb));
        }
    }

    /** Whether the cluster's session runs here now (memory only). */
    public boolean sessionHere(String cluster) {
        return leases.owns(cluster);
    }

    /**
     * In the caller's transaction (the one storing the alerts): a pending inbox row for each alert
     * whose session runs on another instance. Returns the others, to hand to {@link #alerts} once
     * that transaction committed.
     */
    public List<Alert> inboxOrHere(List<Alert> stored) {
        List<Alert> here = new ArrayList<>();
        for (Alert a : stored) {
            if (leases.epochOrAcquire(a.getCluster()) != 0) {
                here.add(a);
            } else {
                inbox.alert(a);
            }
        }
        return here;
    }

    /** Hands stored alerts to their sessions here (after their commit). */
    public void alerts(List<Alert> here) {
        for (Alert a : here) {
            sessions.submit(a.getCluster(), s -> s.alert(a));
        }
    }
}
