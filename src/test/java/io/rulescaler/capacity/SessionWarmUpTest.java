package io.rulescaler.capacity;

import static io.rulescaler.capacity.CapacityFixtures.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The warm-up session runs for the shipped rule set once it compiled, and leaves nothing behind. */
@QuarkusTest
class SessionWarmUpTest {

    @Inject
    SessionWarmUp warmUp;

    @Inject
    EntityManager em;

    @Test
    void theShippedRuleSetIsWarmedAndNothingIsStored() {
        await("default rule set warmed up", Duration.ofSeconds(60), () -> warmUp.warmed().contains("default"));
        for (String table : new String[] {"decision", "scale_request", "alert_event", "session_lease", "decision_lock",
                "session_alert_decided", "cluster"}) {
            String column = table.equals("cluster") ? "name" : "cluster_name";
            Number n = (Number) em.createNativeQuery("SELECT COUNT(*) FROM " + table + " WHERE " + column + " = ?1")
                    .setParameter(1, SessionWarmUp.NAME).getSingleResult();
            assertEquals(0, n.intValue(), "the warm-up wrote nothing to " + table);
        }
    }
}
