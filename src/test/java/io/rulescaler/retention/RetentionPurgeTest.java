package io.rulescaler.retention;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.rulescaler.capacity.CapacityFixtures;
import io.rulescaler.capacity.lease.SessionConfig;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import io.quarkus.scheduler.Scheduler;
import io.rulescaler.orchestration.Orchestrator;
import org.junit.jupiter.api.Test;

/**
 * The retention purge on MariaDB, in batches of two: old decisions go except each cluster's newest
 * and one whose scale request is still pending; old alert pairs (firing + resolved) and alerts of
 * no cluster go, a still-firing alert and the record that a rule decided on it stay; stored
 * signals older than the retention go, younger ones stay.
 */
@QuarkusTest
class RetentionPurgeTest {

    @Inject
    EntityManager em;

    @Inject
    SessionConfig sessions;

    @Inject
    Clock clock;

    @Inject
    Scheduler scheduler;

    @Test
    void purgesOldRowsInBatchesAndKeepsWhatIsStillNeeded() {
        // the test's pending scale request names no cluster: the orchestrator's intake would reject it
        // (within a second) and so unprotect its decision between the two purges
        scheduler.pause(Orchestrator.INTAKE_JOB);
        try {
            purgeAndCheck();
        } finally {
            scheduler.resume(Orchestrator.INTAKE_JOB);
        }
    }

    private void purgeAndCheck() {
        String c = CapacityFixtures.unique("ret");
        String other = CapacityFixtures.unique("ret-other");
        CapacityFixtures.cluster(c, 0, 5, 0, "dryRun: true");
        Instant now = clock.instant();
        long oldest = decision(c, now.minus(Duration.ofDays(40)));
        long old = decision(c, now.minus(Duration.ofDays(39)));
        long oldWithPendingRequest = decision(c, now.minus(Duration.ofDays(38)));
        pendingRequest(c, oldWithPendingRequest);
        long older2 = decision(c, now.minus(Duration.ofDays(37)));
        long newestButOld = decision(c, now.minus(Duration.ofDays(31)));
        long otherOld = decision(other, now.minus(Duration.ofDays(60)));
        long recent = decision(other, now.minus(Duration.ofDays(1)));

        String fp = CapacityFixtures.unique("fp");
        Instant starts = now.minus(Duration.ofDays(9)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        long pairFiring = alert(fp + "-pair", starts, "firing", c, now.minus(Duration.ofDays(9)));
        long pairResolved = alert(fp + "-pair", starts, "resolved", c, now.minus(Duration.ofDays(8)));
        long stillFiring = alert(fp + "-firing", starts, "firing", c, now.minus(Duration.ofDays(9)));
        long noCluster = alert(fp + "-nocluster", starts, "firing", CapacityFixtures.unique("gone"), now.minus(Duration.ofDays(9)));
        long recentResolve = alert(fp + "-late", starts, "firing", c, now.minus(Duration.ofDays(9)));
        long recentResolveR = alert(fp + "-late", starts, "resolved", c, now.minus(Duration.ofHours(1)));
        decided(c, fp + "-firing", starts, now.minus(Duration.ofDays(9)));
        decided(c, fp + "-pair", starts, now.minus(Duration.ofDays(9)));

        long oldSignal = signal(c, now.minus(Duration.ofHours(3)));
        long newSignal = signal(c, now.minus(Duration.ofMinutes(1)));

        RetentionPurge purge = new RetentionPurge(em, config(2), sessions, clock);
        RetentionPurge.Purged p = purge.purge();

        assertEquals(List.of(oldWithPendingRequest, newestButOld), ids("decision", c), "decisions of " + c);
        assertEquals(List.of(recent), ids("decision", other), "an old decision goes when a newer one of its cluster exists");
        assertTrue(otherOld < recent);
        assertTrue(p.decisions() >= 4, "at least the three old decisions of " + c + " and the old one of " + other + ": " + p);
        assertTrue(!exists("decision", oldest) && !exists("decision", old) && !exists("decision", older2));

        assertTrue(!exists("alert_event", pairFiring) && !exists("alert_event", pairResolved), "old firing+resolved pair purged");
        assertTrue(exists("alert_event", stillFiring), "a still-firing alert stays");
        assertTrue(!exists("alert_event", noCluster), "an old alert of no cluster is purged");
        assertTrue(exists("alert_event", recentResolve) && exists("alert_event", recentResolveR),
                "an old firing row whose resolved row is recent stays, with it");
        assertEquals(1L, count("SELECT COUNT(*) FROM session_alert_decided WHERE fingerprint = ?1", fp + "-firing"),
                "the record that a rule decided on a still-firing alert stays");
        assertEquals(0L, count("SELECT COUNT(*) FROM session_alert_decided WHERE fingerprint = ?1", fp + "-pair"));

        assertTrue(!exists("session_signal", oldSignal) && exists("session_signal", newSignal), "signals older than retention purged");

        RetentionPurge.Purged again = purge.purge();
        assertEquals(0, again.decisions() + again.alertEvents() + again.decidedAlerts() + again.signals(),
                "a second purge finds nothing: " + again);
    }

    private RetentionConfig config(int batch) {
        return new RetentionConfig() {
            @Override
            public boolean enabled() {
                return true;
            }

            @Override
            public Duration interval() {
                return Duration.ofMinutes(10);
            }

            @Override
            public int batchSize() {
                return batch;
            }

            @Override
            public Duration decisions() {
                return Duration.ofDays(30);
            }

            @Override
            public Duration alertEvents() {
                return Duration.ofDays(7);
            }

            @Override
            public Duration signals() {
                return Duration.ofMinutes(1); // below the replay window: the window (10m) applies
            }

            @Override
            public Duration vitals() {
                return Duration.ofHours(6);
            }
        };
    }

    private long decision(String cluster, Instant at) {
        return QuarkusTransaction.requiringNew().call(() -> {
            em.createNativeQuery("INSERT INTO decision (cluster_name, rule_name, rule_set, source, baseline_size,"
                            + " recommended_size, target_size, verdict, verdict_reason, reason, dry_run, force_request, facts_json, decided_at)"
                            + " VALUES (?1, 'r', 'default', 'RULE', 1, 2, 2, 'dry-run', 'test', 'test', TRUE, FALSE, '[]', ?2)")
                    .setParameter(1, cluster).setParameter(2, Timestamp.from(at)).executeUpdate();
            return lastId();
        });
    }

    private void pendingRequest(String cluster, long decisionId) {
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("INSERT INTO scale_request (cluster_name, target_size,"
                        + " previous_size, reason, source, decision_id, status, created_at, updated_at)"
                        + " VALUES (?1, 2, 1, 'test', 'RULE', ?2, 'PENDING', NOW(6), NOW(6))")
                .setParameter(1, cluster + "-no-such").setParameter(2, decisionId).executeUpdate());
    }

    /** An alert no shipped rule matches: the cluster's session replays firing alerts and must not decide meanwhile. */
    private long alert(String fingerprint, Instant starts, String status, String cluster, Instant received) {
        return QuarkusTransaction.requiringNew().call(() -> {
            em.createNativeQuery("INSERT INTO alert_event (fingerprint, starts_at, status, alert_name, cluster_name, matched,"
                            + " labels_json, annotations_json, received_at) VALUES (?1, ?2, ?3, 'NoRuleMatchesThis', ?4, TRUE, '{}', '{}', ?5)")
                    .setParameter(1, fingerprint).setParameter(2, Timestamp.from(starts)).setParameter(3, status)
                    .setParameter(4, cluster).setParameter(5, Timestamp.from(received)).executeUpdate();
            return lastId();
        });
    }

    private void decided(String cluster, String fingerprint, Instant starts, Instant at) {
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("INSERT INTO session_alert_decided (cluster_name,"
                        + " rule_name, fingerprint, starts_at, match_key, decided_at) VALUES (?1, 'r', ?2, ?3, REPEAT('0', 64), ?4)")
                .setParameter(1, cluster).setParameter(2, fingerprint).setParameter(3, Timestamp.from(starts))
                .setParameter(4, Timestamp.from(at)).executeUpdate());
    }

    private long signal(String cluster, Instant received) {
        return QuarkusTransaction.requiringNew().call(() -> {
            em.createNativeQuery("INSERT INTO session_signal (cluster_name, kind, payload_json, occurred_at, received_at,"
                            + " received_by, pending) VALUES (?1, 'samples', '[]', ?2, ?2, 'test', FALSE)")
                    .setParameter(1, cluster).setParameter(2, Timestamp.from(received)).executeUpdate();
            return lastId();
        });
    }

    private long lastId() {
        return ((Number) em.createNativeQuery("SELECT LAST_INSERT_ID()").getSingleResult()).longValue();
    }

    @SuppressWarnings("unchecked")
    private List<Long> ids(String table, String cluster) {
        return QuarkusTransaction.requiringNew().call(() -> ((List<Number>) em.createNativeQuery(
                "SELECT id FROM " + table + " WHERE cluster_name = ?1 ORDER BY id").setParameter(1, cluster).getResultList())
                .stream().map(Number::longValue).toList());
    }

    private boolean exists(String table, long id) {
        return count("SELECT COUNT(*) FROM " + table + " WHERE id = ?1", id) > 0;
    }

    private long count(String sql, Object param) {
        return QuarkusTransaction.requiringNew().call(() -> ((Number) em.createNativeQuery(sql).setParameter(1, param)
                .getSingleResult()).longValue());
    }
}
