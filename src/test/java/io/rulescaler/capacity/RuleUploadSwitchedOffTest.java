package io.rulescaler.capacity;

import static io.rulescaler.testing.Api.asAdmin;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** With rulescaler.rules.api-upload=false, DRL cannot come through the API: 403 saying how to turn it on, nothing written. */
@QuarkusTest
@TestProfile(RuleUploadSwitchedOffTest.UploadOff.class)
class RuleUploadSwitchedOffTest {

    /** The service as an operator who keeps rules only in files runs it. */
    public static class UploadOff implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("rulescaler.rules.api-upload", "false");
        }
    }

    @Test
    void anUploadIsRefusedWithHowToTurnItOnAndWritesNothing() {
        int before = asAdmin().get("/api/v1/rules/history").then().statusCode(200).extract().jsonPath().getList("$").size();
        asAdmin().contentType("text/plain").body(RulesReloadTest.rule("switched off", 1)).put("/api/v1/rules/offset/o.drl")
                .then().statusCode(403).contentType("application/problem+json")
                .body("status", equalTo(403))
                .body("detail", containsString("rulescaler.rules.api-upload=true"))
                .body("detail", containsString("rules folder"));
        assertFalse(Files.exists(Path.of("target/test-rules/offset/o.drl")), "nothing written");
        asAdmin().get("/api/v1/rules/history").then().statusCode(200).body("size()", equalTo(before));
        asAdmin().post("/api/v1/rules/reload").then().statusCode(200);
    }
}
