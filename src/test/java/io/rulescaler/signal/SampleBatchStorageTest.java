package io.rulescaler.signal;

import static io.rulescaler.capacity.CapacityFixtures.await;
import static io.rulescaler.capacity.CapacityFixtures.cluster;
import static io.rulescaler.capacity.CapacityFixtures.token;
import static io.rulescaler.capacity.CapacityFixtures.unique;
import static io.rulescaler.testing.Api.as;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.rulescaler.capacity.ClusterSessions;
import io.rulescaler.capacity.fact.Sample;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A pushed batch over several clusters is stored with one multi-row insert in one transaction:
 * one row per cluster holding exactly that cluster's samples, and every sample reaches its session.
 */
@QuarkusTest
class SampleBatchStorageTest {

    @Inject
    EntityManager em;

    @Inject
    ClusterSessions sessions;

    @Test
    void aBatchOverThreeClustersStoresOneRowPerClusterAndFeedsEachSession() {
        String a = unique("batch-a");
        String b = unique("batch-b");
        String c = unique("batch-c");
        for (String name : List.of(a, b, c)) {
            cluster(name, 1, 5, 1, "");
        }
        String body = """
                {"samples":[{"cluster":"%1$s","metric":"cpu","value":11},{"cluster":"%2$s","metric":"cpu","value":22},
                {"cluster":"%1$s","metric":"cpu","value":12},{"cluster":"%3$s","metric":"queue","value":33}]}"""
                .formatted(a, b, c);
        as(token("webhook")).contentType("application/json").body(body).post("/api/v1/samples").then().statusCode(202);

        @SuppressWarnings("unchecked")
        List<Object[]> rows = QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery(
                "SELECT cluster_name, kind, payload_json FROM session_signal WHERE cluster_name IN (?1, ?2, ?3) ORDER BY cluster_name")
                .setParameter(1, a).setParameter(2, b).setParameter(3, c).getResultList());
        assertEquals(3, rows.size(), "one row per cluster of the batch");
        for (Object[] r : rows) {
            assertEquals("samples", r[1]);
        }
        String payloadA = (String) rows.get(0)[2];
        // the values by their JSON field: the timestamps may contain any digits
        assertTrue(payloadA.contains("\"value\":11.0") && payloadA.contains("\"value\":12.0")
                && !payloadA.contains("\"value\":22"), payloadA);
        assertTrue(((String) rows.get(2)[2]).contains("queue"), (String) rows.get(2)[2]);

        await("cluster " + a + "'s session holds both of its samples", Duration.ofSeconds(30),
                () -> samples(a).size() == 2);
        await("clusters " + b + " and " + c + " each hold theirs", Duration.ofSeconds(30),
                () -> samples(b).size() == 1 && samples(c).size() == 1);
    }

    private List<Object> samples(String cluster) {
        try {
            return sessions.facts(cluster).get(10, TimeUnit.SECONDS).stream().filter(f -> f instanceof Sample).toList();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
