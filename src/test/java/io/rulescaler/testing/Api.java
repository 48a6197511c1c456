package io.rulescaler.testing;

import static io.restassured.RestAssured.given;

import io.restassured.RestAssured;
import io.restassured.config.EncoderConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

/** RestAssured requests carrying a token of a given role. */
public final class Api {

    public static final String ADMIN_TOKEN = "test-admin-token";

    /** Sends YAML bodies as text. */
    public static final RestAssuredConfig CONFIG = RestAssured.config().encoderConfig(EncoderConfig.encoderConfig()
            .encodeContentTypeAs("application/yaml", ContentType.TEXT)
            .encodeContentTypeAs("text/yaml", ContentType.TEXT));

    private Api() {
    }

    public static RequestSpecification asAdmin() {
        return as(ADMIN_TOKEN);
    }

    public static RequestSpecification as(String token) {
        return given().config(CONFIG).header("Authorization", "Bearer " + token);
    }
}
