package io.rulescaler.capacity;

import static io.rulescaler.capacity.CapacityFixtures.token;
import static io.rulescaler.capacity.CapacityFixtures.unique;
import static io.rulescaler.testing.Api.as;
import static io.rulescaler.testing.Api.asAdmin;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** Every DRL upload is recorded (who, file, digest, time) and listed to operators and admins; a refused one is not. */
@QuarkusTest
class RuleUploadHistoryTest {

    @Test
    void anUploadIsRecordedWithWhoFileAndDigestAndAFailedOneIsNot() throws Exception {
        String set = unique("hist");
        String drl = RulesReloadTest.rule("history v1", 1);
        int before = asAdminJson().getList("$").size();
        asAdmin().contentType("text/plain").body(drl).put("/api/v1/rules/" + set + "/h.drl").then().statusCode(200);
        asAdmin().contentType("text/plain").body(drl.replace("value > 10", "value >> 10"))
                .put("/api/v1/rules/" + set + "/h.drl").then().statusCode(400);

        JsonPath h = as(token("operator")).get("/api/v1/rules/history?limit=1000").then().statusCode(200).extract().jsonPath();
        assertEquals(before + 1, h.getList("$").size(), "one row for the written upload, none for the refused one");
        assertEquals("admin", h.getString("[0].by"));
        assertEquals(set + "/h.drl", h.getString("[0].file"));
        assertEquals(set, h.getString("[0].ruleSet"));
        assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(drl.getBytes(StandardCharsets.UTF_8))),
                h.getString("[0].digest"));
        assertEquals(drl.getBytes(StandardCharsets.UTF_8).length, h.getInt("[0].sizeBytes"));
        as(token("viewer")).get("/api/v1/rules/history").then().statusCode(403);
        asAdmin().get("/api/v1/rules/history?limit=0").then().statusCode(400).contentType("application/problem+json");
    }

    private static JsonPath asAdminJson() {
        return asAdmin().get("/api/v1/rules/history?limit=1000").then().statusCode(200).extract().jsonPath();
    }
}
