package io.rulescaler.boot;

import jakarta.persistence.EntityManager;
import org.hibernate.engine.spi.EntityEntry;
import org.hibernate.engine.spi.SessionImplementor;

/**
 * Keeps the session in step with a JPQL bulk update of rows whose entities it holds, so that many rows
 * changed alike cost one {@code UPDATE … WHERE id IN (…)} instead of a whole-row update each (dirty check
 * included) at flush (bench/orchestration-scale-out.sh, issue 15 round 6). The caller sets the entity's
 * fields to what the bulk update wrote; the session then takes them as the row's state, version included,
 * so the entity is neither written again at flush nor taken for stale by a later change in the transaction.
 */
public final class BulkWritten {

    private BulkWritten() {
    }

    /**
     * Before the caller changes the fields of a managed entity that a bulk update will write: its changes are
     * not flushed as an update of its own meanwhile. {@link #as} (or a rollback) must follow.
     */
    public static void hold(EntityManager em, Object entity) {
        em.unwrap(SessionImplementor.class).setReadOnly(entity, true);
    }

    /**
     * After a bulk update wrote the entity's current field values to its row and raised its version to
     * {@code version}: the session's snapshot becomes those values and the entity's version that one.
     */
    public static void as(EntityManager em, Object entity, long version) {
        SessionImplementor session = em.unwrap(SessionImplementor.class);
        if (session.isReadOnly(entity)) {
            session.setReadOnly(entity, false); // (the snapshot is taken again below)
        }
        EntityEntry e = session.getPersistenceContextInternal().getEntry(entity);
        if (e == null) {
            return; // not in the session: nothing to keep in step
        }
        e.postUpdate(entity, e.getPersister().getValues(entity), version);
    }
}
