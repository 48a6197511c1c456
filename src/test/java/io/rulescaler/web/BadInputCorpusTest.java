package io.rulescaler.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.rulescaler.testing.Api;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A corpus of bad requests: each must answer a 4xx application/problem+json with a detail, none a
 * 5xx, and none may leave anything in the database.
 */
@QuarkusTest
class BadInputCorpusTest {

    static final String OK_SIZE = "\"size\":{\"min\":1,\"max\":3}";
    static final String BASE = "\"name\":\"corpus-x\",\"provider\":\"stub\"," + OK_SIZE;

    static Stream<Arguments> corpus() {
        String huge = "a".repeat(1_100_000);
        String deep = "[".repeat(5000) + "]".repeat(5000);
        return Stream.of(
                c("malformed JSON", "POST", "/api/v1/clusters", "application/json", "{", 400),
                c("missing value", "POST", "/api/v1/clusters", "application/json", "{\"name\": }", 400),
                c("trailing garbage", "POST", "/api/v1/clusters", "application/json", "{" + BASE + "} xyz", 400),
                c("array instead of object", "POST", "/api/v1/clusters", "application/json", "[]", 400),
                c("string instead of object", "POST", "/api/v1/clusters", "application/json", "\"hello\"", 400),
                c("empty body", "POST", "/api/v1/clusters", "application/json", "", 400),
                c("null body", "POST", "/api/v1/clusters", "application/json", "null", 400),
                c("min is a string", "POST", "/api/v1/clusters", "application/json",
                        "{\"name\":\"corpus-x\",\"provider\":\"stub\",\"size\":{\"min\":\"five\",\"max\":3}}", 400),
                c("min is an object", "POST", "/api/v1/clusters", "application/json",
                        "{\"name\":\"corpus-x\",\"provider\":\"stub\",\"size\":{\"min\":{},\"max\":3}}", 400),
                c("negative min", "POST", "/api/v1/clusters", "application/json",
                        "{\"name\":\"corpus-x\",\"provider\":\"stub\",\"size\":{\"min\":-1,\"max\":3}}", 400),
                c("negative max", "POST", "/api/v1/clusters", "application/json",
                        "{\"name\":\"corpus-x\",\"provider\":\"stub\",\"size\":{\"min\":0,\"max\":-3}}", 400),
                c("min above max", "POST", "/api/v1/clusters", "application/json",
                        "{\"name\":\"corpus-x\",\"provider\":\"stub\",\"size\":{\"min\":5,\"max\":3}}", 400),
                c("desired above max", "POST", "/api/v1/clusters", "application/json",
                        "{\"name\":\"corpus-x\",\"provider\":\"stub\",\"size\":{\"min\":1,\"max\":3,\"desired\":9}}", 400),
                c("size too large a number", "POST", "/api/v1/clusters", "application/json",
                        "{\"name\":\"corpus-x\",\"provider\":\"stub\",\"size\":{\"min\":1,\"max\":100000000000000000000}}", 400),
                c("missing size", "POST", "/api/v1/clusters", "application/json", "{\"name\":\"corpus-x\",\"provider\":\"stub\"}", 400),
                c("size null", "POST", "/api/v1/clusters", "application/json", "{\"name\":\"corpus-x\",\"provider\":\"stub\",\"size\":null}", 400),
                c("missing provider", "POST", "/api/v1/clusters", "application/json", "{\"name\":\"corpus-x\"," + OK_SIZE + "}", 400),
                c("missing name", "POST", "/api/v1/clusters", "application/json", "{\"provider\":\"stub\"," + OK_SIZE + "}", 400),
                c("1 MB name", "POST", "/api/v1/clusters", "application/json",
                        "{\"name\":\"" + huge + "\",\"provider\":\"stub\"," + OK_SIZE + "}", 413),
                c("100 kB name", "POST", "/api/v1/clusters", "application/json",
                        "{\"name\":\"" + "b".repeat(100_000) + "\",\"provider\":\"stub\"," + OK_SIZE + "}", 400),
                c("unicode name", "POST", "/api/v1/clusters", "application/json",
                        "{\"name\":\"wébsérver\",\"provider\":\"stub\"," + OK_SIZE + "}", 400),
                c("emoji name", "POST", "/api/v1/clusters", "application/json",
                        "{\"name\":\"corpus-\uD83D\uDE80\",\"provider\":\"stub\"," + OK_SIZE + "}", 400),
                c("SQL metacharacters in name", "POST", "/api/v1/clusters", "application/json",
                        "{\"name\":\"x'; DROP TABLE cluster;--\",\"provider\":\"stub\"," + OK_SIZE + "}", 400),
                c("upper-case name", "POST", "/api/v1/clusters", "application/json",
                        "{\"name\":\"CORPUS\",\"provider\":\"stub\"," + OK_SIZE + "}", 400),
                c("unknown top-level field", "POST", "/api/v1/clusters", "application/json", "{" + BASE + ",\"maxx\":3}", 400),
                c("unknown nested field", "POST", "/api/v1/clusters", "application/json",
                        "{" + BASE + ",\"template\":{\"imagee\":\"x\"}}", 400),
                c("negative zone weight", "POST", "/api/v1/clusters", "application/json", "{" + BASE + ",\"layout\":{\"a\":-1}}", 400),
                c("zone weight is text", "POST", "/api/v1/clusters", "application/json", "{" + BASE + ",\"layout\":{\"a\":\"x\"}}", 400),
                c("invalid recipient", "POST", "/api/v1/clusters", "application/json", "{" + BASE + ",\"recipients\":[\"not-an-email\"]}", 400),
                c("unknown load balancer type", "POST", "/api/v1/clusters", "application/json",
                        "{" + BASE + ",\"loadBalancer\":{\"type\":\"f5\"}}", 400),
                c("invalid DNS base name", "POST", "/api/v1/clusters", "application/json", "{" + BASE + ",\"dnsBaseName\":\"bad..name\"}", 400),
                c("max step zero", "POST", "/api/v1/clusters", "application/json", "{" + BASE + ",\"guard\":{\"maxStep\":0}}", 400),
                c("negative cooldown", "POST", "/api/v1/clusters", "application/json",
                        "{" + BASE + ",\"guard\":{\"scaleOutCooldownSeconds\":-5}}", 400),
                c("zero cores", "POST", "/api/v1/clusters", "application/json", "{" + BASE + ",\"template\":{\"minCores\":0}}", 400),
                c("paused as text", "POST", "/api/v1/clusters", "application/json", "{" + BASE + ",\"paused\":\"yes\"}", 400),
                c("deeply nested JSON", "POST", "/api/v1/clusters", "application/json", deep, 400),
                c("text/plain body", "POST", "/api/v1/clusters", "text/plain", "name: corpus-x", 415),
                c("malformed YAML", "POST", "/api/v1/clusters", "application/yaml", "name: [corpus-x\nsize: {", 400),
                c("YAML with unknown field", "PUT", "/api/v1/clusters/corpus-y", "application/yaml",
                        "provider: stub\nsize: {min: 1, max: 2}\nsizee: 3\n", 400),
                c("name in body differs from path", "PUT", "/api/v1/clusters/corpus-y", "application/json", "{" + BASE + "}", 400),
                c("unknown cluster", "GET", "/api/v1/clusters/corpus-nope", null, null, 404),
                c("SQL metacharacters in path", "GET", "/api/v1/clusters/x';DROP TABLE cluster;--", null, null, 404),
                c("wrong method", "PATCH", "/api/v1/clusters", "application/json", "{}", 405),
                c("unknown path", "GET", "/api/v1/nothing-here", null, null, 404),
                c("token with unknown role", "POST", "/api/v1/tokens", "application/json", "{\"name\":\"corpus-t\",\"role\":\"root\"}", 400),
                c("token without name", "POST", "/api/v1/tokens", "application/json", "{\"role\":\"viewer\"}", 400),
                c("dry-run without flag", "PUT", "/api/v1/clusters/corpus-nope/dry-run", "application/json", "{}", 400));
    }

    static Arguments c(String name, String method, String path, String contentType, String body, int status) {
        return Arguments.of(name, method, path, contentType, body, status);
    }

    static long clustersBefore;
    static long tokensBefore;

    static long count(String path) {
        return Api.asAdmin().get(path).then().statusCode(200).extract().jsonPath().getList("$").size();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void answersAProblemAndWritesNothing(String name, String method, String path, String contentType, String body, int status) {
        if (clustersBefore == 0 && tokensBefore == 0) {
            clustersBefore = count("/api/v1/clusters") + 1;
            tokensBefore = count("/api/v1/tokens");
        }
        var req = Api.asAdmin();
        if (contentType != null) {
            req = req.contentType(contentType);
        }
        if (body != null) {
            req = req.body(body);
        }
        Response r = req.request(method, path);
        assertEquals(status, r.statusCode(), name + ": " + r.asString());
        assertTrue(r.contentType().startsWith("application/problem+json"), name + ": content type was " + r.contentType());
        assertEquals(status, r.jsonPath().getInt("status"), name);
        assertNotNull(r.jsonPath().getString("detail"), name);
        assertTrue(!r.asString().contains("\tat ") && !r.asString().contains("Exception:"), name + " leaked a stack trace: " + r.asString());
        assertEquals(clustersBefore - 1, count("/api/v1/clusters"), name + " left a cluster behind");
        assertEquals(tokensBefore, count("/api/v1/tokens"), name + " left a token behind");
        List<String> names = Api.asAdmin().get("/api/v1/clusters").jsonPath().getList("name");
        assertTrue(names.stream().noneMatch(n -> n.startsWith("corpus")), name + " wrote " + names);
    }

    @BeforeAll
    static void reset() {
        clustersBefore = 0;
        tokensBefore = 0;
    }
}
