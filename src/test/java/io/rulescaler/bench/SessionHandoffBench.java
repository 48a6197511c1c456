package io.rulescaler.bench;

import static io.rulescaler.capacity.CapacityFixtures.await;
import static io.rulescaler.capacity.CapacityFixtures.cluster;
import static io.rulescaler.capacity.CapacityFixtures.unique;

import io.quarkus.test.junit.QuarkusTest;
import io.rulescaler.capacity.fact.Alert;
import io.rulescaler.capacity.lease.SessionConfig;
import io.rulescaler.capacity.lease.SessionLeases;
import io.rulescaler.signal.SignalInbox;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Benchmark, not a test: an alert stored by an instance that does not own the cluster's session
 * (a second inbox writer, "vm-bench-b", in this JVM) → decision stored by the owner (this
 * instance), p50/p99 from the database's own timestamps (session_signal.received_at → decision.decided_at).
 * Dominated by rulescaler.sessions.inbox-poll-interval (250 ms). Run: bench/session-handoff.sh
 */
@QuarkusTest
class SessionHandoffBench {

    static final int ALERTS = Integer.getInteger("handoff.alerts", 100);
    /** Pause between alerts; not in step with the poll interval. */
    static final int SPACING_MS = Integer.getInteger("handoff.spacing-ms", 37);

    @Inject
    EntityManager em;

    @Inject
    SessionConfig config;

    @Inject
    SessionLeases leases;

    @Inject
    Clock clock;

    @Test
    void nonOwnerToDecisionLatency() throws Exception {
        String c = unique("handoff");
        cluster(c, 1, 10_000, 1, "guard: {scaleOutCooldownSeconds: 0}");
        await("the lease of " + c, Duration.ofSeconds(30), () -> leases.epochOrAcquire(c) != 0);
        SignalInbox other = new SignalInbox(em, config, clock, "vm-bench-b");
        for (int i = 0; i < ALERTS; i++) {
            String fp = "h" + Long.toHexString(System.nanoTime());
            other.alert(new Alert("HighLoad", c, "firing", fp, Instant.now(), Map.of("alertname", "HighLoad", "cluster", c), Map.of()));
            Thread.sleep(SPACING_MS);
        }
        await("all decisions", Duration.ofSeconds(120), () -> ((Number) em.createNativeQuery(
                "select count(*) from decision where cluster_name = ?1").setParameter(1, c).getSingleResult()).intValue() >= ALERTS);
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("select s.received_at, d.decided_at from session_signal s join decision d"
                + " on d.cluster_name = s.cluster_name and d.facts_json like concat('%\"fingerprint\":\"',"
                + " json_value(s.payload_json, '$.fingerprint'), '\"%') where s.cluster_name = ?1").setParameter(1, c).getResultList();
        List<Long> ms = new ArrayList<>();
        for (Object[] r : rows) {
            ms.add(Duration.between(((java.time.LocalDateTime) r[0]), ((java.time.LocalDateTime) r[1])).toMillis());
        }
        Collections.sort(ms);
        // a benchmark, but its numbers only mean something if every stored alert became exactly one
        // decision of the owner, and none before it was stored
        org.junit.jupiter.api.Assertions.assertEquals(ALERTS, ms.size(), "one decision per alert stored by the other instance");
        org.junit.jupiter.api.Assertions.assertTrue(ms.get(0) >= 0, "no decision before its alert was stored: " + ms.get(0) + " ms");
        System.out.printf("BENCH session-handoff non-owner->decision alerts=%d spacing_ms=" + SPACING_MS + " p50_ms=%d p99_ms=%d max_ms=%d poll=%s%n",
                ms.size(), ms.get(ms.size() / 2), ms.get((int) Math.min(ms.size() - 1, Math.round(ms.size() * 0.99))),
                ms.get(ms.size() - 1), config.inboxPollInterval());
    }
}
