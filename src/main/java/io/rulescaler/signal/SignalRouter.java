package io.rulescaler.signal;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.rulescaler.capacity.ClusterSessions;
import io.rulescaler.capacity.fact.Alert;
import io.rulescaler.capacity.fact.Heartbeat;
import io.rulescaler.capacity.fact.Sample;
import io.rulescaler.capacity.lease.SessionConfig;
import io.rulescaler.capacity.lease.SessionLeases;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

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

    /** Hands alerts stored without {@link #alertGroups} to their sessions here (after their commit). */
    public void toSessions(List<List<AlertIntake.Received>> stored) {
        for (List<AlertIntake.Received> delivery : stored) {
            for (AlertIntake.Received r : delivery) {
                if (r.matched()) {
                    Alert a = r.alert();
                    sessions.submit(a.getCluster(), s -> s.alert(a));
                }
            }
        }
    }

    /**
     * Stores alert deliveries ({@code store}, e.g. into alert_event, one list of new alerts per
     * delivery) and, in the same transaction, a pending inbox row for each new matched alert whose
     * session runs elsewhere; after the commit, hands the others to their sessions here. Returns
     * what {@code store} returned.
     */
    public List<List<AlertIntake.Received>> alertGroups(Supplier<List<List<AlertIntake.Received>>> store) {
        List<Alert> local = new ArrayList<>();
        List<List<AlertIntake.Received>> fresh = QuarkusTransaction.requiringNew().call(() -> {
            local.clear();
            List<List<AlertIntake.Received>> received = store.get();
            for (List<AlertIntake.Received> delivery : received) {
                for (AlertIntake.Received r : delivery) {
                    if (!r.matched()) {
                        continue;
                    }
                    if (leases.epochOrAcquire(r.alert().getCluster()) != 0) {
                        local.add(r.alert());
                    } else {
                        inbox.alert(r.alert());
                    }
                }
            }
            return received;
        });
        for (Alert a : local) {
            sessions.submit(a.getCluster(), s -> s.alert(a));
        }
        return fresh;
    }
}
