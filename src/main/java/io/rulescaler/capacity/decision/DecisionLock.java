package io.rulescaler.capacity.decision;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Serialises everything that judges or writes scale requests for one cluster (rule decisions,
 * manual requests, the bounds keeper), across instances: a row per cluster in
 * {@code decision_lock}, written (a turn counted) inside the caller's transaction. Unlike the cluster
 * row, no foreign key points at it, so the orchestrator's node inserts never hold it up.
 */
// native SQL (docs/architecture.md, "Persistence: one rule"): INSERT IGNORE and an UPDATE on one row per cluster, certified across Galera nodes
@ApplicationScoped
public class DecisionLock {

    private final EntityManager em;
    private final Set<String> ensured = ConcurrentHashMap.newKeySet();

    public DecisionLock(EntityManager em) {
        this.em = em;
    }

    /**
     * Makes sure the cluster's lock row exists, in its own transaction. Call it before the
     * caller's transaction has read anything (a locking read of a missing row would lock the gap
     * the insert needs).
     */
    public void ensure(String cluster) {
        if (ensured.contains(cluster)) {
            return;
        }
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("INSERT IGNORE INTO decision_lock (cluster_name) VALUES (?1)")
                .setParameter(1, cluster).executeUpdate());
        ensured.add(cluster);
    }

    /**
     * Locks the cluster's row until the current transaction ends, by writing it (one more turn): a
     * {@code SELECT … FOR UPDATE} would lock only on the node that ran it, while a write is certified
     * cluster-wide by Galera, so the later of two decisions judged at once on two nodes loses at commit
     * and is judged again. Call it first in the transaction: plain reads after it see everything
     * committed before the lock was granted.
     */
    public void acquire(String cluster) {
        em.createNativeQuery("UPDATE decision_lock SET turns = turns + 1 WHERE cluster_name = ?1")
                .setParameter(1, cluster).executeUpdate();
    }
}
