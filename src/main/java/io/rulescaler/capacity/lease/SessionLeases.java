package io.rulescaler.capacity.lease;

import io.rulescaler.boot.StopGated;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.rulescaler.db.LostRace;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import io.rulescaler.boot.InstanceId;
import io.rulescaler.cluster.ClusterChanged;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * The lease on each cluster's rule session: one row per cluster in {@code session_lease}, taken
 * or renewed with one conditional upsert (mine, or expired), renewed on a timer and released on
 * a graceful stop. Expiry is judged by the database's clock. Whether this instance holds a lease
 * is answered from memory, and only while a third of the lease is still left, so a slow renewal
 * makes this instance stop deciding before anybody else may start. Each renewal also announces
 * the instance in {@code session_instance}; with {@code balance} on, the live instances share the
 * leases by {@link LeaseShare}: a surplus is handed off (expired in the database) and not taken
 * back by this instance for two renew intervals, so an instance below its share gets it.
 */
// native SQL (docs/architecture.md, "Persistence: one rule"): ON DUPLICATE KEY UPDATE and the database clock (NOW(6)); bench/session-handoff.sh
@ApplicationScoped
public class SessionLeases {

    private static final Logger LOG = Logger.getLogger(SessionLeases.class);

    /** An instance not seen for this many leases is deleted from {@code session_instance}. */
    private static final long STALE_INSTANCE_LEASES = 10;

    // Assignments run left to right and see the new values: owner_id is set after epoch and
    // acquired_at (which compare the old owner), expires_at after owner_id (mine now or not).
    private static final String UPSERT = "INSERT INTO session_lease (cluster_name, owner_id, epoch, acquired_at, expires_at)"
            + " VALUES (?1, ?2, 1, NOW(6), NOW(6) + INTERVAL ?3 MICROSECOND) ON DUPLICATE KEY UPDATE"
            + " epoch = IF(owner_id = VALUES(owner_id) OR expires_at >= NOW(6), epoch, epoch + 1),"
            + " acquired_at = IF(owner_id <> VALUES(owner_id) AND expires_at < NOW(6), NOW(6), acquired_at),"
            + " owner_id = IF(owner_id = VALUES(owner_id) OR expires_at < NOW(6), VALUES(owner_id), owner_id),"
            + " expires_at = IF(owner_id = VALUES(owner_id), VALUES(expires_at), expires_at)";

    private final EntityManager em;
    private final SessionConfig config;
    private final String me;
    private final Map<String, Held> held = new ConcurrentHashMap<>();
    private final Map<String, Elsewhere> elsewhere = new ConcurrentHashMap<>();
    private final Map<String, Long> handedOffAt = new ConcurrentHashMap<>();
    private volatile Balance balance;
    private volatile boolean stopped;

    @Inject
    public SessionLeases(EntityManager em, SessionConfig config, InstanceId instanceId) {
        this(em, config, instanceId.value());
    }

    /** A lease holder under another name: a second "instance" in one JVM (tests). */
    public SessionLeases(EntityManager em, SessionConfig config, String owner) {
        this.em = em;
        this.config = config;
        this.me = owner;
    }

    /** A lease this instance holds, and until when (System.nanoTime) it may act on it without renewing. */
    private record Held(long epoch, long actUntilNanos) {
    }

    /** Who else holds a lease, and until when (System.nanoTime) that holds at least. */
    private record Elsewhere(String owner, long untilNanos) {
    }

    /** What the lease row of a cluster says, as this instance last saw it. */
    public record View(String cluster, String owner, long epoch, boolean mine) {
    }

    /** The sharing of sessions as the last renewal saw it: live instances (this one included), the fair share, and how many this instance held. */
    public record Balance(int liveInstances, int share, int held) {
    }

    public String instanceId() {
        return me;
    }

    /** The epoch of this instance's lease on the cluster's session, or 0 when it does not hold one (memory only). */
    public long epoch(String cluster) {
        Held h = held.get(cluster);
        return h != null && !stopped && h.actUntilNanos() - System.nanoTime() > 0 ? h.epoch() : 0;
    }

    /** Whether this instance runs the cluster's session now (memory only). */
    public boolean owns(String cluster) {
        return epoch(cluster) != 0;
    }

    /**
     * Like {@link #epoch}, but when no other instance is known to hold the lease, tries to take
     * it now (one database round trip); a signal for a new cluster need not wait for the timer.
     */
    public long epochOrAcquire(String cluster) {
        long e = epoch(cluster);
        if (e != 0 || stopped) {
            return e;
        }
        Elsewhere other = elsewhere.get(cluster);
        if (other != null && other.untilNanos() - System.nanoTime() > 0) {
            return 0;
        }
        if (handingOff(cluster)) {
            return 0;
        }
        return tryAcquire(cluster);
    }

    /** The sharing of sessions as this instance's last renewal saw it (null before the first one). */
    public Balance balance() {
        return balance;
    }

    /** The instance holding the cluster's lease as last seen (null when unknown or free). */
    public String ownerOf(String cluster) {
        if (owns(cluster)) {
            return me;
        }
        Elsewhere other = elsewhere.get(cluster);
        return other == null ? null : other.owner();
    }

    /** The clusters whose sessions run here, with their epochs. */
    public Map<String, Long> held() {
        Map<String, Long> out = new HashMap<>();
        for (String c : held.keySet()) {
            long e = epoch(c);
            if (e != 0) {
                out.put(c, e);
            }
        }
        return out;
    }

    /** Takes the lease when it is free, expired or already ours (then renews it); returns its epoch, or 0. */
    public long tryAcquire(String cluster) {
        if (stopped) {
            return 0;
        }
        long start = System.nanoTime();
        Object[] row;
        try {
            // two instances on different Galera nodes taking the same lease: one commit loses certification;
            // run again, it reads the winner and gives up (the same on a deadlock on one server)
            row = LostRace.retry("take session lease " + cluster, 3, () -> QuarkusTransaction.requiringNew().call(() -> {
                em.createNativeQuery(UPSERT).setParameter(1, cluster).setParameter(2, me)
                        .setParameter(3, config.lease().toNanos() / 1000).executeUpdate();
                return (Object[]) em.createNativeQuery("SELECT owner_id, epoch, TIMESTAMPDIFF(MICROSECOND, NOW(6), expires_at)"
                        + " FROM session_lease WHERE cluster_name = ?1").setParameter(1, cluster).getSingleResult();
            }));
        } catch (RuntimeException e) {
            if (!LostRace.is(e)) {
                throw e;
            }
            LOG.infof("session lease of cluster=%s not taken: lost the race %d times (problem=%s)", cluster, 3, e.toString());
            return 0;
        }
        return see(cluster, (String) row[0], ((Number) row[1]).longValue(), ((Number) row[2]).longValue(), start);
    }

    /**
     * Renews every lease of this instance in one statement and announces the instance, then takes
     * the clusters whose lease is free or expired (with {@code balance}: up to the fair share, or
     * any that no other live instance would take) and hands off a surplus. Returns the leases held afterwards.
     */
    public Map<String, Long> renewAndTake() {
        if (stopped) {
            return Map.of();
        }
        long start = System.nanoTime();
        try {
            long leaseMicros = config.lease().toNanos() / 1000;
            List<String> live = new ArrayList<>();
            @SuppressWarnings("unchecked")
            List<Object[]> rows = LostRace.retry("renew session leases", 3, () -> QuarkusTransaction.requiringNew().call(() -> {
                live.clear();
                em.createNativeQuery("UPDATE session_lease SET expires_at = NOW(6) + INTERVAL ?1 MICROSECOND WHERE owner_id = ?2")
                        .setParameter(1, leaseMicros).setParameter(2, me).executeUpdate();
                em.createNativeQuery("DELETE FROM session_lease WHERE owner_id = ?1 AND cluster_name NOT IN (SELECT name FROM cluster)")
                        .setParameter(1, me).executeUpdate();
                // stale rows first, by key (a scanning DELETE would lock every row), then this instance's own
                List<?> stale = em.createNativeQuery("SELECT instance_id FROM session_instance WHERE seen_at < NOW(6) - INTERVAL ?1 MICROSECOND")
                        .setParameter(1, leaseMicros * STALE_INSTANCE_LEASES).getResultList();
                if (!stale.isEmpty()) {
                    em.createNativeQuery("DELETE FROM session_instance WHERE instance_id IN (?1) AND seen_at < NOW(6) - INTERVAL ?2 MICROSECOND")
                            .setParameter(1, stale).setParameter(2, leaseMicros * STALE_INSTANCE_LEASES).executeUpdate();
                }
                em.createNativeQuery("INSERT INTO session_instance (instance_id, seen_at) VALUES (?1, NOW(6))"
                        + " ON DUPLICATE KEY UPDATE seen_at = NOW(6)").setParameter(1, me).executeUpdate();
                for (Object id : em.createNativeQuery("SELECT instance_id FROM session_instance WHERE seen_at >= NOW(6) - INTERVAL ?1 MICROSECOND")
                        .setParameter(1, leaseMicros).getResultList()) {
                    live.add((String) id);
                }
                return em.createNativeQuery("SELECT c.name, l.owner_id, l.epoch, TIMESTAMPDIFF(MICROSECOND, NOW(6), l.expires_at),"
                        + " TIMESTAMPDIFF(MICROSECOND, l.acquired_at, NOW(6)) FROM cluster c LEFT JOIN session_lease l ON l.cluster_name = c.name")
                        .getResultList();
            }));
            Map<String, Integer> heldBy = new HashMap<>();
            for (Object[] r : rows) {
                if (r[1] != null && ((Number) r[3]).longValue() > 0) {
                    heldBy.merge((String) r[1], 1, Integer::sum);
                }
            }
            LeaseShare share = new LeaseShare(me, live, heldBy, rows.size());
            Set<String> mine = new HashSet<>();
            Map<String, Long> age = new HashMap<>();
            for (Object[] r : rows) {
                String cluster = (String) r[0];
                if (r[1] == null || ((Number) r[3]).longValue() <= 0) {
                    if ((!config.balance() || share.mayTake()) && tryAcquire(cluster) != 0) {
                        mine.add(cluster);
                        age.put(cluster, 0L);
                        share.took();
                    }
                } else if (see(cluster, (String) r[1], ((Number) r[2]).longValue(), ((Number) r[3]).longValue(), start) != 0) {
                    mine.add(cluster);
                    age.put(cluster, ((Number) r[4]).longValue());
                }
            }
            held.keySet().retainAll(mine);
            handedOffAt.values().removeIf(at -> System.nanoTime() - at > handOffPause().toNanos());
            if (config.balance()) {
                handOff(share, age);
            }
            balance = new Balance(share.liveInstances(), share.share(), held.size());
        } catch (RuntimeException e) {
            // no renewal: our leases lapse in memory a third of the lease before they expire
            LOG.warnf("session lease renewal failed owner=%s problem=%s", me, e.toString());
        }
        return held();
    }

    /** Hands off the most recently acquired leases of the surplus (ties by name): gone from memory first, then expired if still mine. */
    private void handOff(LeaseShare share, Map<String, Long> age) {
        int n = share.toHandOff();
        if (n == 0) {
            return;
        }
        int before = share.held();
        List<String> order = new ArrayList<>(age.keySet());
        order.sort(Comparator.<String>comparingLong(age::get).thenComparing(Comparator.naturalOrder()));
        for (String cluster : order.subList(0, Math.min(n, order.size()))) {
            handedOffAt.put(cluster, System.nanoTime());
            held.remove(cluster);
            int expired = QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery(
                            "UPDATE session_lease SET expires_at = NOW(6) - INTERVAL 1 SECOND WHERE cluster_name = ?1 AND owner_id = ?2")
                    .setParameter(1, cluster).setParameter(2, me).executeUpdate());
            if (expired == 1) {
                LOG.infof("session lease handed off cluster=%s owner=%s share=%d held=%d live=%d",
                        cluster, me, share.share(), before, share.liveInstances());
            }
        }
    }

    /** Whether this instance handed the cluster's lease off recently, so it leaves it to an instance below its share. */
    private boolean handingOff(String cluster) {
        Long at = handedOffAt.get(cluster);
        if (at == null) {
            return false;
        }
        if (System.nanoTime() - at <= handOffPause().toNanos()) {
            return true;
        }
        handedOffAt.remove(cluster, at);
        return false;
    }

    /** How long a handed-off lease is left to others: one renew interval and as much again as a margin. */
    private Duration handOffPause() {
        return config.renewInterval().multipliedBy(2);
    }

    @StopGated
    @Scheduled(every = "${rulescaler.sessions.renew-interval:5s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void renewOnTimer() {
        renewAndTake();
    }

    /** Gives every lease of this instance up at once (graceful stop), so another instance takes over without waiting. */
    public void releaseAll() {
        stopped = true;
        Set<String> had = Set.copyOf(held.keySet());
        held.clear();
        try {
            int n = QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery(
                            "UPDATE session_lease SET expires_at = NOW(6) - INTERVAL 1 SECOND WHERE owner_id = ?1")
                    .setParameter(1, me).executeUpdate());
            QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("DELETE FROM session_instance WHERE instance_id = ?1")
                    .setParameter(1, me).executeUpdate());
            LOG.infof("session leases released owner=%s leases=%d clusters=%s", me, n, had);
        } catch (RuntimeException e) {
            LOG.warnf("session lease release failed owner=%s problem=%s (they expire on their own)", me, e.toString());
        }
    }

    void onStop(@Observes @Priority(1) ShutdownEvent ev) {
        releaseAll();
    }

    void onClusterChanged(@Observes(during = TransactionPhase.AFTER_SUCCESS) ClusterChanged changed) {
        if (changed.deleted()) {
            held.remove(changed.name());
            elsewhere.remove(changed.name());
            handedOffAt.remove(changed.name());
            return;
        }
        if (epoch(changed.name()) == 0) {
            try {
                epochOrAcquire(changed.name());
            } catch (RuntimeException e) {
                LOG.warnf("session lease not taken cluster=%s problem=%s (the timer tries again)", changed.name(), e.toString());
            }
        }
    }

    private long see(String cluster, String owner, long epoch, long remainingMicros, long startNanos) {
        if (me.equals(owner) && remainingMicros > 0) {
            Held before = held.put(cluster, new Held(epoch, startNanos + actWindow().toNanos()));
            elsewhere.remove(cluster);
            if (before == null || before.epoch() != epoch) {
                LOG.infof("session lease taken cluster=%s owner=%s epoch=%d", cluster, me, epoch);
            }
            return epoch;
        }
        if (held.remove(cluster) != null) {
            LOG.warnf("session lease lost cluster=%s owner=%s now=%s", cluster, me, owner);
        }
        if (remainingMicros > 0) {
            elsewhere.put(cluster, new Elsewhere(owner, startNanos + remainingMicros * 1000));
        } else {
            elsewhere.remove(cluster);
        }
        return 0;
    }

    /** How long after starting a successful renewal this instance may act: the lease less a third. */
    private Duration actWindow() {
        return config.lease().minus(config.lease().dividedBy(3));
    }

    /** Where a cluster's session runs, in words, for a "why" asked on an instance that does not hold it. */
    public String notHere(String cluster) {
        String holder = ownerOf(cluster);
        Balance b = balance();
        String sharing = b == null ? "" : " (live instances: " + b.liveInstances() + ", fair share: " + b.share()
                + ", sessions here: " + b.held() + ")";
        return "the session of this cluster runs on instance " + (holder == null ? "(none yet)" : holder) + ", not on "
                + instanceId() + sharing + "; signals sent here are stored and taken in by that instance";
    }
}
