package io.rulescaler.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.rulescaler.cli.RulescalerCommand;
import io.rulescaler.testing.Api;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/**
 * The bad-input corpus (src/test/resources/bad-input/*.cases): every REST endpoint, cluster, chain
 * and scenario YAML, DRL, traces, Alertmanager payloads, samples and heartbeats. Each case must
 * answer as documented (a 4xx problem+json with its detail, or a command's exit code naming
 * file:line), write nothing, and leave the service ready.
 */
@QuarkusTest
class BadInputCorpusTest {

    static final String FIXTURE = "fixture-corpus";
    static final List<String> COUNTS = List.of(
            "select count(*) from cluster",
            // node tokens are issued by operations of other test classes still running in the background
            "select count(*) from api_token where role <> 'node'",
            "select count(*) from alert_event where fingerprint like 'corpus%' or cluster_name like '%corpus%'",
            "select count(*) from session_signal where cluster_name like '%corpus%'",
            "select count(*) from decision where cluster_name like '%corpus%'",
            "select count(*) from scale_request where cluster_name like '%corpus%'",
            "select count(*) from operation where cluster_name like '%corpus%'",
            "select count(*) from rule_upload");
    static final Map<String, String> TOKENS = new HashMap<>();

    @Inject
    AgroalDataSource db;

    @ConfigProperty(name = "rulescaler.capacity.rules-directory")
    String rulesDirectory;

    @ConfigProperty(name = "rulescaler.orchestration.chains-directory")
    String chainsDirectory;

    static Stream<CorpusCase> corpus() {
        return CorpusCase.all().stream();
    }

    @Test
    void theCorpusHasAHundredCasesOverEveryEntryPoint() {
        List<CorpusCase> all = CorpusCase.all();
        assertTrue(all.size() >= 100, "cases: " + all.size());
        for (String entry : List.of("/api/v1/clusters", "application/yaml", "chain-file", "/api/v1/rules/", "cli check-rules",
                "cli test-rules", "cli simulate", "/api/v1/alerts/prometheus", "/api/v1/samples", "/heartbeat", "/api/v1/tokens",
                "/api/v1/operations")) {
            assertTrue(all.stream().anyMatch(c -> c.entry().contains(entry)), "no case for " + entry);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void answersAsDocumentedWritesNothingAndStaysReady(CorpusCase c) throws Exception {
        fixtures();
        Map<String, Object> before = written();
        if (c.entry().startsWith("cli ")) {
            cli(c);
        } else if (c.entry().equals("chain-file")) {
            chainFile(c);
        } else {
            rest(c);
        }
        assertEquals(before, written(), c.source() + " " + c.name() + " wrote something");
        RestAssured.given().get("/q/health/ready").then().statusCode(200);
    }

    void rest(CorpusCase c) {
        String[] e = c.entry().split(" ");
        String role = "admin";
        String type = null;
        for (int i = 2; i < e.length; i++) {
            if (e[i].startsWith("as=")) {
                role = e[i].substring(3);
            } else {
                type = e[i];
            }
        }
        RequestSpecification req = "none".equals(role) ? RestAssured.given().config(Api.CONFIG)
                : Api.as("admin".equals(role) ? Api.ADMIN_TOKEN : TOKENS.get(role));
        req = req.urlEncodingEnabled(false);
        if (type != null) {
            req = req.contentType(type);
        }
        if (c.body() != null) {
            req = req.body(c.body());
        }
        Response r = req.request(e[0], e[1]);
        String what = c.source() + " " + c.name();
        assertEquals(c.status(), r.statusCode(), what + ": " + abbreviated(r.asString()));
        assertTrue(r.contentType().startsWith("application/problem+json"), what + ": content type was " + r.contentType());
        assertEquals(c.status(), r.jsonPath().getInt("status"), what);
        String detail = r.jsonPath().getString("detail");
        assertNotNull(detail, what);
        assertTrue(detail.contains(c.text()), what + ": the detail does not say '" + c.text() + "': " + abbreviated(detail));
        assertFalse(r.asString().contains("\tat ") || r.asString().contains("Exception:"), what + " leaked a stack trace: " + r.asString());
    }

    void cli(CorpusCase c) throws IOException {
        Path dir = Files.createTempDirectory(Path.of("target"), "corpus-");
        String command = c.entry().substring(4);
        Path input = switch (command) {
            case "check-rules" -> Files.createDirectories(dir.resolve("corpus")).resolve("bad.drl");
            case "test-rules" -> dir.resolve("bad.yaml");
            case "simulate-json" -> dir.resolve("trace.json");
            default -> dir.resolve("trace.csv");
        };
        Files.write(input, c.body());
        String[] args = switch (command) {
            case "check-rules" -> new String[] {"check-rules", dir.toString()};
            case "test-rules" -> new String[] {"test-rules", input.toString()};
            default -> new String[] {"simulate", "--rules", "src/main/resources/rules", "--trace", input.toString()};
        };
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new RulescalerCommand());
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int exit = cl.execute(args);
        String printed = out + "\n" + err;
        String what = c.source() + " " + c.name();
        assertEquals(c.status(), exit, what + ": " + abbreviated(printed));
        assertTrue(printed.contains(c.text()), what + ": the output does not say '" + c.text() + "': " + abbreviated(printed));
        assertFalse(printed.contains("\tat "), what + " printed a stack trace: " + printed);
        try (Stream<Path> files = Files.walk(dir)) {
            assertEquals(List.of(input), files.filter(Files::isRegularFile).toList(), what + ": wrote a file");
        }
    }

    void chainFile(CorpusCase c) throws IOException {
        Path file = Path.of(chainsDirectory).resolve("corpus-bad.yaml");
        Files.write(file, c.body());
        String what = c.source() + " " + c.name();
        try {
            Response r = Api.asAdmin().post("/api/v1/chains/reload");
            assertEquals(200, r.statusCode(), what + ": " + abbreviated(r.asString()));
            List<Map<String, Object>> errors = r.jsonPath().getList("errors.findAll { it.file.contains('corpus-bad') }");
            assertFalse(errors.isEmpty(), what + ": no error reported: " + abbreviated(r.asString()));
            assertEquals(c.status(), ((Number) errors.get(0).get("line")).intValue(), what + ": " + errors);
            assertTrue(errors.stream().anyMatch(x -> String.valueOf(x.get("message")).contains(c.text())),
                    what + ": no error says '" + c.text() + "': " + errors);
            assertFalse(Api.asAdmin().get("/api/v1/chains").then().statusCode(200).extract().jsonPath()
                    .getList("chains.name").contains("corpus-bad"), what + ": the chain was loaded");
        } finally {
            Files.deleteIfExists(file);
            Api.asAdmin().post("/api/v1/chains/reload").then().statusCode(200);
        }
    }

    /** The fixture cluster (paused, no nodes) and one token per role, made before the first snapshot. */
    void fixtures() {
        if (!TOKENS.isEmpty()) {
            return;
        }
        // a cluster an earlier, failing run of a case left behind would answer 409 to later cases
        List<String> names = Api.asAdmin().get("/api/v1/clusters").then().statusCode(200).extract().jsonPath().getList("name");
        names.stream().filter(n -> n.startsWith("corpus")).forEach(n -> Api.asAdmin().delete("/api/v1/clusters/" + n));
        Response r = Api.asAdmin().contentType("application/yaml")
                .body("name: " + FIXTURE + "\nprovider: stub\nsize: {min: 0, max: 3, desired: 0}\npaused: true\n")
                .put("/api/v1/clusters/" + FIXTURE);
        assertTrue(r.statusCode() < 300, r.asString());
        for (String role : List.of("viewer", "operator", "webhook")) {
            TOKENS.put(role, Api.asAdmin().contentType("application/json")
                    .body("{\"name\":\"fixture-corpus-" + role + "\",\"role\":\"" + role + "\"}")
                    .post("/api/v1/tokens").then().statusCode(201).extract().path("token"));
        }
    }

    /** What a bad input must not change: row counts, rule files and chain files. */
    Map<String, Object> written() throws Exception {
        Map<String, Object> out = new LinkedHashMap<>();
        try (Connection conn = db.getConnection(); Statement s = conn.createStatement()) {
            for (String sql : COUNTS) {
                try (ResultSet rs = s.executeQuery(sql)) {
                    rs.next();
                    out.put(sql, rs.getLong(1));
                }
            }
        }
        out.put("rule files", files(Path.of(rulesDirectory)));
        out.put("chain files", files(Path.of(chainsDirectory)));
        return out;
    }

    static List<String> files(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(dir)) {
            List<String> out = new ArrayList<>();
            for (Path p : s.filter(Files::isRegularFile).sorted().toList()) {
                out.add(dir.relativize(p) + ":" + Files.size(p));
            }
            return out;
        }
    }

    static String abbreviated(String s) {
        return s.length() > 600 ? s.substring(0, 600) + "..." : s;
    }
}
