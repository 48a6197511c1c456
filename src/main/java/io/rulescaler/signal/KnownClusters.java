package io.rulescaler.signal;

import io.rulescaler.cluster.ClusterChanged;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.sql.Connection;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Which alert cluster labels name clusters, remembered for a while, so a stream of alerts for the
 * same clusters does not ask the database for every group of deliveries.
 * Justified by bench/capacity-webhook.sh, docs/bench-capacity.md "Webhook round (2026-11-25, 02:00–03:00 UTC)".
 */
@ApplicationScoped
public class KnownClusters {

    /** How long a cluster seen to exist is believed to (a deletion on another instance shows after this). */
    private static final long KNOWN_FOR_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final Map<String, Long> knownUntil = new ConcurrentHashMap<>();

    /**
     * Which of {@code names} are clusters. A name seen to exist is believed for
     * {@link #KNOWN_FOR_NANOS} (a deletion here forgets it at once); an unknown name is always
     * asked, on {@code conn}.
     */
    Set<String> known(Connection conn, Set<String> names) {
        long now = System.nanoTime();
        Set<String> known = new HashSet<>();
        Set<String> unsure = new HashSet<>();
        for (String n : names) {
            Long until = knownUntil.get(n);
            if (until != null && until - now > 0) {
                known.add(n);
            } else {
                unsure.add(n);
            }
        }
        if (!unsure.isEmpty()) {
            for (String n : AlertTable.clusters(conn, unsure)) {
                known.add(n);
                knownUntil.put(n, now + KNOWN_FOR_NANOS);
            }
        }
        return known;
    }

    void onClusterChanged(@Observes ClusterChanged changed) {
        if (changed.deleted()) {
            knownUntil.remove(changed.name());
        }
    }
}
