package io.rulescaler.testing;

import io.restassured.specification.RequestSpecification;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Packaged service processes sharing one fresh database on Debian's MariaDB (127.0.0.1:3306), as
 * an operator runs several instances behind a load balancer; plain SQL to check what they wrote.
 * Closing kills the processes and drops the database.
 */
public final class InstancesOnOneDatabase implements AutoCloseable {

    public static final String TOKEN = "instances-it-admin-token";
    private static final String SERVER = "jdbc:mariadb://127.0.0.1:3306/";
    private final List<ServiceProcess> started = new ArrayList<>();
    private final String database;
    private final Path work;

    public InstancesOnOneDatabase(String name) throws Exception {
        this.database = "rulescaler_" + name + "_" + Long.toString(System.nanoTime() % 1_000_000_000L, 36);
        this.work = Files.createTempDirectory(Path.of("target").toAbsolutePath(), name + "-it-");
    }

    /** A unique instance id with this prefix, e.g. {@code vm-a-1k3}. */
    public static String instanceId(String prefix) {
        return prefix + "-" + Long.toString(System.nanoTime() % 100_000, 36);
    }

    /** Starts the packaged jar as {@code instance} on the shared database, with extra environment. */
    public ServiceProcess start(String instance, Map<String, String> extraEnv) throws Exception {
        Path dir = Files.createDirectories(work.resolve(instance));
        Map<String, String> env = new HashMap<>(Map.of(
                "QUARKUS_DATASOURCE_JDBC_URL", SERVER + database + "?createDatabaseIfNotExist=true",
                "QUARKUS_DATASOURCE_USERNAME", "root",
                "RULESCALER_DATA_DIR", dir.resolve("data").toString(),
                "RULESCALER_CLUSTERS_DIR", dir.resolve("no-clusters").toString(),
                "RULESCALER_CHAINS_DIR", Path.of("actions").toAbsolutePath().toString(),
                "RULESCALER_SCRIPTS_DIR", Path.of("fabric-scripts").toAbsolutePath().toString(),
                "RULESCALER_SECURITY_INITIAL_ADMIN_TOKEN", TOKEN,
                "RULESCALER_ORCHESTRATION_INSTANCE_ID", instance,
                "RULESCALER_CAPACITY_KEEP_BOUNDS", "false"));
        env.putAll(extraEnv);
        ServiceProcess p = ServiceProcess.start(dir, env, Duration.ofSeconds(180));
        started.add(p);
        return p;
    }

    /** Forgets a process the test stopped itself. */
    public void stopped(ServiceProcess p) {
        started.remove(p);
    }

    /** An admin request to {@code p}. */
    public static RequestSpecification admin(ServiceProcess p) {
        return io.restassured.RestAssured.given().baseUri(p.baseUrl()).header("Authorization", "Bearer " + TOKEN)
                .config(Api.CONFIG);
    }

    /** The first column of the first row as a number; -1 when there is none. */
    public long count(String sql) {
        List<Object[]> r = rows(sql, 1);
        return r.isEmpty() || r.get(0)[0] == null ? -1 : ((Number) r.get(0)[0]).longValue();
    }

    /** Every row of {@code sql}, its first {@code columns} columns. */
    public List<Object[]> rows(String sql, int columns) {
        try (Connection c = DriverManager.getConnection(SERVER + database, "root", "");
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            List<Object[]> out = new ArrayList<>();
            while (rs.next()) {
                Object[] row = new Object[columns];
                for (int i = 0; i < columns; i++) {
                    row[i] = rs.getObject(i + 1);
                }
                out.add(row);
            }
            return out;
        } catch (Exception e) {
            throw new IllegalStateException(sql, e);
        }
    }

    @Override
    public void close() throws Exception {
        for (ServiceProcess p : started) {
            p.kill();
        }
        try (Connection c = DriverManager.getConnection(SERVER, "root", ""); Statement st = c.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS " + database);
        }
    }
}
