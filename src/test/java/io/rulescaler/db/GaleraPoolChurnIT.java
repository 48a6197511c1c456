package io.rulescaler.db;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.arjuna.ats.internal.jta.transaction.arjunacore.TransactionSynchronizationRegistryImple;
import io.agroal.api.AgroalDataSource;
import io.agroal.api.configuration.AgroalConnectionFactoryConfiguration.TransactionIsolation;
import io.agroal.api.configuration.supplier.AgroalDataSourceConfigurationSupplier;
import io.agroal.api.exceptionsorter.MySQLExceptionSorter;
import io.agroal.api.security.NamePrincipal;
import io.agroal.api.security.SimplePassword;
import io.agroal.narayana.NarayanaTransactionIntegration;
import io.rulescaler.testing.GaleraCluster;
import jakarta.transaction.RollbackException;
import jakarta.transaction.TransactionManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The service's pool parts (Agroal with Narayana's local XA resource, Connector/J {@code sequential}) on a
 * real 2-node Galera cluster, writing to node 1 while another writer on node 2 updates the same rows, so
 * that commits on node 1 fail certification (error 1213 at {@code COMMIT}) many times a second: the
 * connections node 1 counts for the pool's user never exceed the pool's max-size plus one per worker
 * (a failed commit's connection being closed by its thread). Without {@link FlushedConnectionCloser}
 * (run with {@code -Dgalera.churn.closer=false}) the flushed connections wait for Agroal's
 * housekeeping thread and pile up (docs/scaling.md).
 */
class GaleraPoolChurnIT {

    private static final String DB = "churn";
    private static final String USER = "churn";
    private static final int MAX_SIZE = 4;
    private static final int WORKERS = 8;
    private static final int ROWS = 4;
    private static final Duration LOAD = Duration.ofSeconds(Long.getLong("galera.churn.seconds", 15));

    private GaleraCluster galera;
    private AgroalDataSource pool;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicInteger commits = new AtomicInteger();
    private final AtomicInteger commitFailures = new AtomicInteger();
    private final AtomicInteger statementFailures = new AtomicInteger();
    private final AtomicInteger peak = new AtomicInteger();

    @AfterEach
    void stop() throws Exception {
        running.set(false);
        if (pool != null) {
            pool.close();
        }
        if (galera != null) {
            galera.close();
        }
    }

    @Test
    void failedCommitsDoNotOpenConnectionsBeyondThePool() throws Exception {
        Path work = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "galera-churn-");
        galera = GaleraCluster.start(work.resolve("galera"), 2);
        try (Connection c = DriverManager.getConnection(galera.serverUrl(0), "root", ""); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + DB);
            s.execute("CREATE USER '" + USER + "'@'%' IDENTIFIED BY '" + USER + "'");
            s.execute("GRANT ALL ON " + DB + ".* TO '" + USER + "'@'%'");
            s.execute("CREATE TABLE " + DB + ".hot (id INT PRIMARY KEY, v BIGINT NOT NULL) ENGINE=InnoDB");
            for (int i = 0; i < ROWS; i++) {
                s.execute("INSERT INTO " + DB + ".hot VALUES (" + i + ", 0)");
            }
        }
        boolean closer = !"false".equals(System.getProperty("galera.churn.closer"));
        pool = pool(work, galera.sequentialUrl(DB, 0, 1), closer);
        TransactionManager tm = com.arjuna.ats.jta.TransactionManager.transactionManager();

        ExecutorService threads = Executors.newFixedThreadPool(WORKERS + 3);
        List<Future<?>> all = new ArrayList<>();
        try {
            all.add(threads.submit(() -> sample(galera.serverUrl(0))));
            for (int i = 0; i < 2; i++) {
                all.add(threads.submit(() -> compete(galera.serverUrl(1) + DB)));
            }
            for (int i = 0; i < WORKERS; i++) {
                all.add(threads.submit(() -> work(tm)));
            }
            Thread.sleep(LOAD.toMillis());
            running.set(false);
            for (Future<?> f : all) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            running.set(false);
            threads.shutdownNow();
        }
        String seen = String.format("closer=%s commits=%d failed commits=%d failed statements=%d peak connections=%d (max-size %d)",
                closer, commits.get(), commitFailures.get(), statementFailures.get(), peak.get(), MAX_SIZE);
        System.out.println("GaleraPoolChurnIT: " + seen);
        assertTrue(commitFailures.get() >= 20, "commits on node 1 lost certification many times: " + seen);
        assertTrue(commits.get() >= 20, "and others committed: " + seen);
        assertTrue(peak.get() <= MAX_SIZE + WORKERS, "node 1 never held more connections of the pool than max-size + workers: " + seen);
    }

    /** The pool as Quarkus builds it for the service: Narayana's local XA resource, MySQL exception sorter, READ COMMITTED. */
    private static AgroalDataSource pool(Path work, String url, boolean closer) throws SQLException {
        System.setProperty("ObjectStoreEnvironmentBean.objectStoreDir", work.resolve("tx-object-store").toString());
        System.setProperty("com.arjuna.ats.arjuna.objectstore.objectStoreDir", work.resolve("tx-object-store").toString());
        TransactionManager tm = com.arjuna.ats.jta.TransactionManager.transactionManager();
        AgroalDataSourceConfigurationSupplier config = new AgroalDataSourceConfigurationSupplier()
                .connectionPoolConfiguration(p -> p
                        .maxSize(MAX_SIZE)
                        .acquisitionTimeout(Duration.ofSeconds(30))
                        .exceptionSorter(new MySQLExceptionSorter())
                        .transactionIntegration(new NarayanaTransactionIntegration(tm, new TransactionSynchronizationRegistryImple()))
                        .connectionFactoryConfiguration(f -> f
                                .jdbcUrl(url)
                                .connectionProviderClassName("org.mariadb.jdbc.Driver")
                                .principal(new NamePrincipal(USER))
                                .credential(new SimplePassword(USER))
                                .jdbcTransactionIsolation(TransactionIsolation.READ_COMMITTED)));
        AgroalDataSource ds = AgroalDataSource.from(config);
        if (closer) {
            ds.setPoolInterceptors(List.of(new FlushedConnectionCloser()));
        }
        return ds;
    }

    /** One short transaction after the other on node 1, as the service's workers do: one row update, then commit. */
    private Void work(TransactionManager tm) throws Exception {
        while (running.get()) {
            tm.begin();
            boolean statementFailed = false;
            try (Connection c = pool.getConnection(); PreparedStatement ps = c.prepareStatement("UPDATE hot SET v = v + 1 WHERE id = ?")) {
                ps.setInt(1, ThreadLocalRandom.current().nextInt(ROWS));
                ps.executeUpdate();
            } catch (SQLException e) {
                statementFailed = true; // a brute-force abort by node 2's write-set: the statement fails, not the commit
            }
            if (statementFailed) {
                statementFailures.incrementAndGet();
                tm.rollback();
                continue;
            }
            try {
                tm.commit();
                commits.incrementAndGet();
            } catch (RollbackException e) {
                assertTrue(LostRace.is(e), "a failed commit is a lost race: " + e);
                commitFailures.incrementAndGet();
            }
        }
        return null;
    }

    /** Another writer on node 2, on the same rows: node 1's commits that overlap its write-sets fail certification. */
    private Void compete(String url) throws Exception {
        try (Connection c = DriverManager.getConnection(url, "root", ""); PreparedStatement ps = c.prepareStatement("UPDATE hot SET v = v + 1 WHERE id = ?")) {
            while (running.get()) {
                ps.setInt(1, ThreadLocalRandom.current().nextInt(ROWS));
                try {
                    ps.executeUpdate();
                } catch (SQLException e) {
                    // its own conflicts with node 1's write-sets: go on
                }
            }
        }
        return null;
    }

    /** Every 50 ms, how many connections of the pool's user node 1 holds; keeps the highest. */
    private Void sample(String url) throws Exception {
        try (Connection c = DriverManager.getConnection(url, "root", "");
             PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE USER = ?")) {
            ps.setString(1, USER);
            while (running.get()) {
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    peak.accumulateAndGet(rs.getInt(1), Math::max);
                }
                Thread.sleep(50);
            }
        }
        return null;
    }
}
