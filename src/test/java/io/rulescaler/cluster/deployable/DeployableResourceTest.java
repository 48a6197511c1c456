package io.rulescaler.cluster.deployable;

import static io.rulescaler.testing.Api.as;
import static io.rulescaler.testing.Api.asAdmin;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.junit.QuarkusTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The deployables API and clusters naming a deployable: the list with users and load errors, an
 * unknown name or a missing variant refused as a problem, the effective spec and the change list.
 */
@QuarkusTest
class DeployableResourceTest {

    /** The test profile's deployables folder (rulescaler.deployables-dir). */
    static final Path DIR = Path.of("target/test-deployables");

    static String unique(String prefix) {
        return prefix + "-" + Long.toString(System.nanoTime() % 1_000_000_000L, 36);
    }

    /** Writes a deployable file and has the service read the folder again. */
    static void write(String name, String content) throws Exception {
        Files.createDirectories(DIR);
        Files.writeString(DIR.resolve(name + ".yaml"), content);
        asAdmin().post("/api/v1/deployables/reload").then().statusCode(200);
    }

    static String app(String image) {
        return """
                description: a test app
                parameters: {app.version: "1.0", tomcat.heapMb: "512"}
                chains: {scaleIn: stub-scale-in}
                profiles:
                  stub: {image: %s, minCores: 2, loginUser: admin, tags: {variant: stub}}
                """.formatted(image);
    }

    @Test
    void aClusterNamesADeployableAndOverridesWhatItNeeds() throws Exception {
        String d = unique("app");
        write(d, app("img-1"));
        String c = unique("dep");
        asAdmin().contentType("application/yaml").body("""
                provider: stub
                deployable: %s
                template: {minCores: 4}
                parameters: {app.version: "2.0"}
                size: {min: 0, max: 3}
                """.formatted(d)).put("/api/v1/clusters/" + c).then().statusCode(201)
                .body("changes", hasItem("deployable: (unset) -> " + d));

        asAdmin().get("/api/v1/clusters/" + c).then().statusCode(200)
                .body("spec.template.image", equalTo("img-1"))
                .body("spec.template.minCores", equalTo(4))
                .body("spec.parameters.'app.version'", equalTo("2.0"))
                .body("spec.parameters.'tomcat.heapMb'", equalTo("512"))
                .body("spec.chains.scaleIn", equalTo("stub-scale-in"))
                .body("declared.template.image", nullValue())
                .body("declared.deployable", equalTo(d))
                .body("nodesDifferFromSpec", equalTo(0));

        as(viewerToken()).get("/api/v1/deployables").then().statusCode(200)
                .body("deployables.find { it.name == '" + d + "' }.file", equalTo("test-deployables/" + d + ".yaml"))
                .body("deployables.find { it.name == '" + d + "' }.profiles", hasItem("stub"))
                .body("deployables.find { it.name == '" + d + "' }.parameters.'app.version'", equalTo("1.0"))
                .body("deployables.find { it.name == '" + d + "' }.clusters", hasItem(c));
        asAdmin().get("/api/v1/deployables/" + d).then().statusCode(200)
                .body("variants.stub.image", equalTo("img-1"))
                .body("clusters", hasItem(c));
        asAdmin().get("/api/v1/deployables/nope-" + d).then().statusCode(404).contentType("application/problem+json");

        // a change of the cluster that also changes what the deployable brings lists both
        String other = unique("app2");
        write(other, app("img-2"));
        asAdmin().contentType("application/yaml").body("""
                provider: stub
                deployable: %s
                parameters: {app.version: "2.0"}
                layout: {stub/a: 1}
                size: {min: 0, max: 3}
                """.formatted(other)).put("/api/v1/clusters/" + c).then().statusCode(200)
                .body("outcome", equalTo("updated"))
                .body("changes", hasItems("deployable: " + d + " -> " + other, "layout: (unset) -> {\"stub/a\":1}",
                        "template: {\"minCores\":4} -> (unset)"))
                .body("changes", hasItem("effective template.image: img-1 -> img-2"))
                .body("changes", hasItem("effective template.minCores: 4 -> 2"));
    }

    @Test
    void anUnknownDeployableIsAProblemNamingTheKnownOnes() throws Exception {
        String d = unique("known");
        write(d, app("img"));
        String c = unique("unk");
        asAdmin().contentType("application/yaml").body("provider: stub\ndeployable: nope-" + d + "\nsize: {min: 0, max: 1}\n")
                .put("/api/v1/clusters/" + c).then().statusCode(400)
                .contentType("application/problem+json")
                .body("title", equalTo("Unknown deployable"))
                .body("field", equalTo("deployable"))
                .body("detail", containsString("no deployable 'nope-" + d + "'"))
                .body("detail", containsString(d))
                .body("known", hasItem(d));
        asAdmin().get("/api/v1/clusters/" + c).then().statusCode(404);

        // a profile the deployable has no variant for (layout across providers) is refused too
        asAdmin().contentType("application/yaml").body("provider: stub\ndeployable: " + d
                        + "\nlayout: {stub/a: 1, stub-west/b: 1}\nsize: {min: 0, max: 1}\n")
                .put("/api/v1/clusters/" + c).then().statusCode(400)
                .contentType("application/problem+json")
                .body("title", equalTo("Missing variant"))
                .body("detail", containsString("[stub-west]"));
        asAdmin().get("/api/v1/clusters/" + c).then().statusCode(404);
    }

    @Test
    void aBadFileIsListedWithFileAndLineAndItsEarlierVersionStays() throws Exception {
        String d = unique("flaky");
        write(d, app("first-img"));
        Files.writeString(DIR.resolve(d + ".yaml"), app("good-img"));
        asAdmin().post("/api/v1/deployables/reload").then().statusCode(200)
                .body("changes.'" + d + "'", hasItem("profiles.stub.image: first-img -> good-img"));
        write(d, "profiles:\n  stub:\n    image: x\n    minCoers: 2\n");
        asAdmin().get("/api/v1/deployables").then().statusCode(200)
                .body("errors.message", hasItem(startsWith("test-deployables/" + d + ".yaml:4:")))
                .body("deployables.find { it.name == '" + d + "' }.errors[0].message", containsString("minCoers"));
        asAdmin().get("/api/v1/deployables/" + d).then().statusCode(200).body("variants.stub.image", equalTo("good-img"));
        Files.delete(DIR.resolve(d + ".yaml"));
        asAdmin().post("/api/v1/deployables/reload").then().statusCode(200)
                .body("errors.file", not(hasItem("test-deployables/" + d + ".yaml")))
                .body("changes.'" + d + "'", hasItem("removed"));
        asAdmin().get("/api/v1/deployables/" + d).then().statusCode(404);
    }

    @Test
    void onlyAnAdminReloads() {
        as(viewerToken()).post("/api/v1/deployables/reload").then().statusCode(403);
    }

    private static String viewerToken() {
        return asAdmin().contentType("application/json").body(Map.of("name", unique("dep-viewer"), "role", "viewer"))
                .post("/api/v1/tokens").then().statusCode(201).extract().path("token");
    }
}
