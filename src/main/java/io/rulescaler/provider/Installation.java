package io.rulescaler.provider;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

/**
 * The id of this installation: one per database (created by migration V7), shared by every
 * instance on it. New machines carry it as {@link Machine#TAG_INSTALLATION}; a machine carrying
 * another installation's id is never adopted, destroyed or reported as ours.
 */
// native SQL (docs/architecture.md, "Persistence: one rule"): read at start-up, outside Hibernate sessions
@ApplicationScoped
public class Installation {

    private final EntityManager em;
    private volatile String id;

    public Installation(EntityManager em) {
        this.em = em;
    }

    /** This installation's id (read once from the database). */
    public String id() {
        String v = id;
        if (v == null) {
            v = QuarkusTransaction.requiringNew().call(() ->
                    em.createNativeQuery("SELECT id FROM installation ORDER BY created_at, id LIMIT 1").getSingleResult().toString());
            id = v;
        }
        return v;
    }

    /**
     * Whether a machine with these tags may belong to the installation {@code ours}: it carries our id,
     * or no installation tag at all (machines created before the tag existed; callers then match the
     * cluster, node id and node name tags against their own records).
     */
    public static boolean mayBeOurs(java.util.Map<String, String> tags, String ours) {
        String theirs = tags == null ? null : tags.get(Machine.TAG_INSTALLATION);
        return theirs == null || ours == null || theirs.equals(ours);
    }
}
