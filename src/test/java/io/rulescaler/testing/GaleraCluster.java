package io.rulescaler.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;

/**
 * A real MariaDB Galera cluster on loopback for the tests that prove rulescaler on it: Debian's
 * {@code mariadbd} (10.11) with the {@code galera-4} provider, each node with its own data folder
 * and ports under the given folder. The first node is bootstrapped from {@code mariadb-install-db};
 * the others join with an empty data folder and receive a state transfer by rsync. Skipped naming
 * the packages to install when they are missing; required under CI=true.
 */
public final class GaleraCluster implements AutoCloseable {

    private static final Path PROVIDER = Path.of("/usr/lib/galera/libgalera_smm.so");
    private final Path dir;
    private final int size;
    private final int[] sqlPort;
    private final int[] gcommPort;
    private final Process[] process;
    /** False for {@link #standalone}: one server with the same options, no wsrep. */
    private final boolean wsrep;

    private GaleraCluster(Path dir, int size, boolean wsrep) throws Exception {
        this.dir = dir;
        this.size = size;
        this.wsrep = wsrep;
        this.sqlPort = new int[size];
        this.gcommPort = new int[size];
        this.process = new Process[size];
        for (int i = 0; i < size; i++) {
            sqlPort[i] = ServiceProcess.freePort();
            gcommPort[i] = ServiceProcess.freePort();
        }
    }

    /** Starts a cluster of {@code size} nodes under {@code dir} and waits until every node is synced and the cluster has them all. */
    public static GaleraCluster start(Path dir, int size) throws Exception {
        requirePackages();
        GaleraCluster g = new GaleraCluster(Files.createDirectories(dir), size, true);
        try {
            g.bootstrap();
            return g;
        } catch (Exception | Error e) {
            g.close();
            throw e;
        }
    }

    /**
     * A single MariaDB of the same binaries with the same server options as a Galera node, on its own
     * data folder and port, but without wsrep: the baseline for comparing with a cluster on the same disk.
     */
    public static GaleraCluster standalone(Path dir) throws Exception {
        requirePackages();
        GaleraCluster g = new GaleraCluster(Files.createDirectories(dir), 1, false);
        try {
            install(g.node(0));
            g.process[0] = g.launch(0, false);
            g.awaitSql(0, Duration.ofSeconds(60));
            return g;
        } catch (Exception | Error e) {
            g.close();
            throw e;
        }
    }

    private static void requirePackages() {
        RealParts.require("mariadbd", "mariadb-server galera-4 rsync");
        RealParts.require("mariadb-install-db", "mariadb-server");
        RealParts.require("rsync", "rsync");
        if (!Files.exists(PROVIDER)) {
            String why = PROVIDER + " is missing; install it with: apt-get install galera-4";
            if (System.getenv("CI") != null) {
                assertTrue(false, why + " (.ci/run installs it)");
            }
            assumeTrue(false, why);
        }
    }

    private void bootstrap() throws Exception {
        install(node(0));
        process[0] = launch(0, true);
        awaitSql(0, Duration.ofSeconds(60));
        for (int i = 1; i < size; i++) {
            join(i);
        }
        int[] rejoined = new int[size];
        long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
        while (System.nanoTime() < deadline) {
            if (synced()) {
                return;
            }
            for (int i = 0; i < size; i++) {
                if (!process[i].isAlive()) {
                    // a joiner's state transfer can fail on a busy machine (the SST script's rsync daemon exits at
                    // once, e.g. its port was taken meanwhile): the joiner aborts, and starting it again is the fix
                    if (i > 0 && rejoined[i]++ < 2) {
                        System.err.println("galera node " + (i + 1) + " exited while joining; starting it again:\n" + log(i));
                        join(i);
                        continue;
                    }
                    throw new IllegalStateException("galera node " + (i + 1) + " exited:\n" + log(i));
                }
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("galera cluster not synced in 180 s:\n" + log(size - 1));
    }

    /** Starts joiner {@code i} on an empty data folder (its state comes from the first node). */
    private void join(int i) throws Exception {
        // rsync's daemon (run by the SST script) drops root for 'nobody', so nobody must own the folder it fills
        Path data = node(i).resolve("data");
        if (Files.exists(data)) {
            try (var files = Files.walk(data)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
        Files.createDirectories(data);
        Files.setOwner(data, dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody"));
        process[i] = launch(i, false);
    }

    private static void install(Path first) throws Exception {
        Process install = new ProcessBuilder("mariadb-install-db", "--no-defaults", "--user=root", "--datadir=" + first.resolve("data"),
                "--auth-root-authentication-method=normal", "--skip-test-db")
                .redirectErrorStream(true).redirectOutput(first.resolve("install.log").toFile()).start();
        if (install.waitFor() != 0) {
            throw new IllegalStateException("mariadb-install-db failed:\n" + Files.readString(first.resolve("install.log")));
        }
    }

    private Path node(int i) throws Exception {
        return Files.createDirectories(dir.resolve("n" + (i + 1)));
    }

    private Process launch(int i, boolean newCluster) throws Exception {
        Path n = node(i);
        StringJoiner members = new StringJoiner(",");
        for (int p : gcommPort) {
            members.add("127.0.0.1:" + p);
        }
        int sst = ServiceProcess.freePort();
        int ist = ServiceProcess.freePort();
        List<String> cmd = new ArrayList<>(List.of("/usr/sbin/mariadbd", "--no-defaults", "--user=root",
                "--datadir=" + n.resolve("data"), "--socket=" + n.resolve("sock"), "--pid-file=" + n.resolve("pid"),
                "--port=" + sqlPort[i], "--bind-address=127.0.0.1", "--log-error=" + n.resolve("error.log"), "--skip-name-resolve",
                "--innodb-buffer-pool-size=64M", "--innodb-log-file-size=48M", "--performance-schema=OFF", "--max-connections=300",
                "--character-set-server=utf8mb4", "--collation-server=utf8mb4_unicode_ci",
                // what Galera requires: row-based replication, InnoDB, interleaved auto-increment locks
                "--binlog-format=ROW", "--default-storage-engine=InnoDB", "--innodb-autoinc-lock-mode=2",
                "--innodb-flush-log-at-trx-commit=0"));
        if (!wsrep) {
            return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(n.resolve("out.log").toFile()).start();
        }
        cmd.addAll(List.of("--wsrep-on=ON", "--wsrep-provider=" + PROVIDER, "--wsrep-cluster-name=rulescaler-test",
                "--wsrep-cluster-address=gcomm://" + members, "--wsrep-node-name=n" + (i + 1),
                "--wsrep-node-address=127.0.0.1:" + gcommPort[i], "--wsrep-sst-method=rsync",
                "--wsrep-sst-receive-address=127.0.0.1:" + sst,
                "--wsrep-provider-options=gmcast.listen_addr=tcp://127.0.0.1:" + gcommPort[i] + ";ist.recv_addr=127.0.0.1:" + ist
                        + ";gcache.size=64M" + (Boolean.getBoolean("galera.log-conflicts") ? ";cert.log_conflicts=yes" : "")));
        if (Boolean.getBoolean("galera.log-conflicts")) {
            // a diagnostic: each certification failure (the provider's cert.log_conflicts, with its keys) and
            // brute-force abort in error.log; --wsrep-log-conflicts alone logged none of 1 594 failures
            cmd.add("--wsrep-log-conflicts=ON");
        }
        if (newCluster) {
            cmd.add("--wsrep-new-cluster");
        }
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(n.resolve("out.log").toFile()).start();
    }

    private void awaitSql(int i, Duration within) throws Exception {
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process[i].isAlive()) {
                throw new IllegalStateException("galera node " + (i + 1) + " exited:\n" + log(i));
            }
            try (Connection c = DriverManager.getConnection(serverUrl(i), "root", "")) {
                return;
            } catch (Exception notYet) {
                Thread.sleep(300);
            }
        }
        throw new IllegalStateException("galera node " + (i + 1) + " not up in " + within + ":\n" + log(i));
    }

    /** Whether every live node is ready, synced and sees as many members as there are live nodes. */
    public boolean synced() {
        int live = 0;
        for (Process p : process) {
            live += p != null && p.isAlive() ? 1 : 0;
        }
        for (int i = 0; i < size; i++) {
            if (process[i] == null || !process[i].isAlive()) {
                continue;
            }
            try (Connection c = DriverManager.getConnection(serverUrl(i), "root", ""); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SHOW STATUS WHERE Variable_name IN ('wsrep_cluster_size', 'wsrep_ready', 'wsrep_local_state_comment')")) {
                int seen = 0;
                while (rs.next()) {
                    String v = rs.getString(2);
                    boolean ok = switch (rs.getString(1)) {
                        case "wsrep_cluster_size" -> Integer.parseInt(v) == live;
                        case "wsrep_ready" -> v.equals("ON");
                        default -> v.equals("Synced");
                    };
                    seen += ok ? 1 : 0;
                }
                if (seen != 3) {
                    return false;
                }
            } catch (Exception notYet) {
                return false;
            }
        }
        return true;
    }

    /** The SQL port of node {@code i} (0-based). */
    public int port(int i) {
        return sqlPort[i];
    }

    /** The process id of node {@code i}'s {@code mariadbd} (0-based), e.g. to read its CPU time. */
    public long pid(int i) {
        return process[i].pid();
    }

    /** How many servers: 1 for {@link #standalone}. */
    public int size() {
        return size;
    }

    /** {@code jdbc:mariadb://127.0.0.1:port/} of node {@code i} (0-based). */
    public String serverUrl(int i) {
        return "jdbc:mariadb://127.0.0.1:" + sqlPort[i] + "/";
    }

    /**
     * The failover URL an instance uses: Connector/J's {@code sequential} mode writes to the first
     * node that answers, in the given order (0-based node numbers), and moves on when it dies; reads
     * wait for the node to apply every commit of the cluster ({@code wsrep_sync_wait}), as docs/scaling.md says.
     */
    public String sequentialUrl(String database, int... order) {
        StringJoiner hosts = new StringJoiner(",");
        for (int i : order) {
            hosts.add("127.0.0.1:" + sqlPort[i]);
        }
        // causal reads and conditional writes on every connection, failovers included (docs/scaling.md)
        return "jdbc:mariadb:sequential://" + hosts + "/" + database + "?sessionVariables=wsrep_sync_wait=3";
    }

    /** Kills node {@code i} without warning (SIGKILL), as a crash or a pulled cable would. */
    public void kill(int i) throws InterruptedException {
        process[i].destroyForcibly().waitFor();
    }

    /** The node's error log, for failure messages. */
    public String log(int i) {
        try {
            Path f = dir.resolve("n" + (i + 1)).resolve("error.log");
            return Files.exists(f) ? Files.readString(f) : "(no log)";
        } catch (Exception e) {
            return e.toString();
        }
    }

    @Override
    public void close() throws InterruptedException {
        for (Process p : process) {
            if (p != null) {
                p.destroyForcibly().waitFor();
            }
        }
    }
}
