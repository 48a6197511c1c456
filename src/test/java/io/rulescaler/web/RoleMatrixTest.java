package io.rulescaler.web;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.rulescaler.testing.Api;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Every endpoint × every kind of caller → the expected status. The endpoint list comes from the
 * live OpenAPI document, so a new endpoint without an entry here fails {@link #everyEndpointHasAnEntry()}.
 */
@QuarkusTest
class RoleMatrixTest {

    /**
     * The least role each endpoint needs; "webhook" endpoints accept only the webhook role, not even
     * admin; "any" endpoints accept every valid token.
     */
    static final Map<String, String> MATRIX = new LinkedHashMap<>();

    static {
        MATRIX.put("GET /api/v1/clusters", "viewer");
        MATRIX.put("POST /api/v1/clusters", "admin");
        MATRIX.put("GET /api/v1/clusters/{name}", "viewer");
        MATRIX.put("PUT /api/v1/clusters/{name}", "admin");
        MATRIX.put("DELETE /api/v1/clusters/{name}", "admin");
        MATRIX.put("POST /api/v1/clusters/{name}/pause", "operator");
        MATRIX.put("POST /api/v1/clusters/{name}/resume", "operator");
        MATRIX.put("PUT /api/v1/clusters/{name}/dry-run", "operator");
        MATRIX.put("GET /api/v1/clusters/{name}/nodes", "viewer");
        MATRIX.put("GET /api/v1/clusters/{name}/nodes/{node}", "viewer");
        MATRIX.put("PUT /api/v1/clusters/{name}/nodes/{node}/protection", "operator");
        MATRIX.put("GET /api/v1/tokens", "admin");
        MATRIX.put("POST /api/v1/tokens", "admin");
        MATRIX.put("DELETE /api/v1/tokens/{name}", "admin");
        MATRIX.put("GET /api/v1/clusters/{name}/decisions", "viewer");
        MATRIX.put("GET /api/v1/clusters/{name}/why", "viewer");
        MATRIX.put("POST /api/v1/clusters/{name}/scale", "operator");
        MATRIX.put("GET /api/v1/rules", "viewer");
        MATRIX.put("POST /api/v1/rules/reload", "admin");
        MATRIX.put("PUT /api/v1/rules/{file}", "admin");
        MATRIX.put("POST /api/v1/alerts/prometheus", "webhook");
        MATRIX.put("POST /api/v1/samples", "webhook");
        MATRIX.put("POST /api/v1/nodes/{id}/heartbeat", "webhook");
        MATRIX.put("GET /api/v1/signals/poller", "viewer");
        MATRIX.put("GET /api/v1/operations", "viewer");
        MATRIX.put("GET /api/v1/operations/{id}", "viewer");
        MATRIX.put("GET /api/v1/operations/{id}/tasks/{task}/log", "viewer");
        MATRIX.put("POST /api/v1/operations", "operator");
        MATRIX.put("POST /api/v1/operations/{id}/cancel", "operator");
        MATRIX.put("GET /api/v1/chains", "viewer");
        MATRIX.put("POST /api/v1/chains/reload", "admin");
        MATRIX.put("GET /api/v1/providers/{profile}/machines", "viewer");
        MATRIX.put("GET /api/v1/clusters/{name}/reconciliation", "viewer");
        MATRIX.put("POST /api/v1/clusters/{name}/reconciliation", "operator");
        MATRIX.put("GET /api/v1/me", "any");
        MATRIX.put("GET /api/v1/clusters/{name}/capacity", "viewer");
        MATRIX.put("GET /api/v1/rules/{file}", "viewer");
        MATRIX.put("POST /api/v1/rules/check", "viewer");
        MATRIX.put("GET /api/v1/rules/history", "operator");
        MATRIX.put("POST /api/v1/rules/{set}/enable", "admin");
        MATRIX.put("GET /api/v1/clusters/{name}/chains/{chain}/runs", "viewer");
        MATRIX.put("POST /api/v1/clusters/{name}/chains/{chain}/runs", "operator");
        MATRIX.put("GET /api/v1/clusters/{name}/redeploy", "viewer");
        MATRIX.put("POST /api/v1/clusters/{name}/redeploy", "operator");
        MATRIX.put("GET /api/v1/deployables", "viewer");
        MATRIX.put("GET /api/v1/deployables/{name}", "viewer");
        MATRIX.put("POST /api/v1/deployables/reload", "admin");
    }

    static final List<String> CALLERS = List.of("none", "bad", "viewer", "operator", "admin", "webhook");
    static final Map<String, String> TOKENS = new LinkedHashMap<>();

    static synchronized void issueTokens() {
        if (!TOKENS.isEmpty()) {
            return;
        }
        TOKENS.put("admin", Api.ADMIN_TOKEN);
        TOKENS.put("bad", "rs_not-a-token");
        for (String role : List.of("viewer", "operator", "webhook")) {
            String name = "matrix-" + role + "-" + System.nanoTime();
            String token = Api.asAdmin().contentType("application/json")
                    .body(Map.of("name", name, "role", role))
                    .post("/api/v1/tokens").then().statusCode(201).extract().path("token");
            TOKENS.put(role, token);
        }
    }

    static boolean allowed(String needed, String caller) {
        if (needed.equals("any")) {
            return TOKENS.containsKey(caller) && !caller.equals("bad");
        }
        return switch (caller) {
            case "admin" -> !needed.equals("webhook");
            case "operator" -> needed.equals("operator") || needed.equals("viewer");
            case "viewer" -> needed.equals("viewer");
            case "webhook" -> needed.equals("webhook");
            default -> false;
        };
    }

    static List<String> liveEndpoints() {
        JsonPath doc = given().accept("application/json").get("/q/openapi?format=json").then().statusCode(200)
                .extract().jsonPath();
        Map<String, Map<String, Object>> paths = doc.getMap("paths");
        List<String> out = new ArrayList<>();
        // /bench/* exists only in the test application (benchmark baselines)
        paths.entrySet().stream().filter(e -> !e.getKey().startsWith("/bench/")).forEach(e -> e.getValue().keySet().stream()
                .filter(m -> List.of("get", "put", "post", "delete", "patch").contains(m))
                .forEach(m -> out.add(m.toUpperCase() + " " + e.getKey())));
        return out;
    }

    @Test
    void everyEndpointHasAnEntry() {
        TreeSet<String> live = new TreeSet<>(liveEndpoints());
        TreeSet<String> missing = new TreeSet<>(live);
        missing.removeAll(MATRIX.keySet());
        TreeSet<String> stale = new TreeSet<>(MATRIX.keySet());
        stale.removeAll(live);
        assertTrue(missing.isEmpty(), "endpoints without an entry in RoleMatrixTest.MATRIX: " + missing);
        assertTrue(stale.isEmpty(), "entries in RoleMatrixTest.MATRIX for endpoints that no longer exist: " + stale);
    }

    @Test
    void everyCallerGetsTheExpectedStatus() {
        issueTokens();
        List<String> wrong = new ArrayList<>();
        MATRIX.forEach((endpoint, needed) -> {
            String method = endpoint.substring(0, endpoint.indexOf(' '));
            String path = endpoint.substring(endpoint.indexOf(' ') + 1)
                    .replace("{name}", "matrix-absent").replace("{node}", "absent").replace("{id}", "987654321")
                    .replace("{file}", "default/absent.drl").replace("{task}", "987654321").replace("{profile}", "absent")
                    .replace("{set}", "absent").replace("{chain}", "absent");
            for (String caller : CALLERS) {
                RequestSpecification req = caller.equals("none") ? given() : Api.as(TOKENS.get(caller));
                boolean drl = endpoint.startsWith("PUT /api/v1/rules/");
                Response r = req.contentType(drl ? "text/plain" : "application/json").body(drl ? "this is not DRL" : "{}")
                        .request(method, path);
                int status = r.statusCode();
                String expected;
                boolean ok;
                if (caller.equals("none") || caller.equals("bad")) {
                    expected = "401";
                    ok = status == 401;
                } else if (allowed(needed, caller)) {
                    expected = "not 401/403/5xx";
                    ok = status != 401 && status != 403 && status < 500;
                } else {
                    expected = "403";
                    ok = status == 403;
                }
                if (ok && status >= 400) {
                    ok = r.contentType().startsWith("application/problem+json");
                    expected += " as problem+json";
                }
                if (!ok) {
                    wrong.add(endpoint + " as " + caller + ": expected " + expected + ", got " + status + " " + r.contentType());
                }
            }
        });
        if (!wrong.isEmpty()) {
            fail(wrong.size() + " wrong answers:\n  " + String.join("\n  ", wrong));
        }
    }
}
