package io.rulescaler.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A cluster's parameters: read from YAML and JSON, kept through the spec's copies, and listed in an apply's changes. */
class ClusterParametersTest {

    private static final String YAML = """
            name: web
            provider: stub
            size: {min: 1, max: 4}
            parameters:
              app.warUrl: https://repo.example.com/app-1.2.war
              app.version: "1.2"
            """;

    @Test
    void parametersAreReadFromYamlAndSurviveTheStoredJson() throws Exception {
        ClusterSpec spec = ClusterSpecParser.YAML.readValue(YAML, ClusterSpec.class);
        assertEquals(Map.of("app.warUrl", "https://repo.example.com/app-1.2.war", "app.version", "1.2"), spec.parameters());
        ClusterSpec stored = ClusterSpecParser.fromJson(ClusterSpecParser.toJson(spec));
        assertEquals(spec.parameters(), stored.parameters());
        assertEquals(spec.parameters(), stored.withFlags(true, false).withDesired(2).withName("web2").parameters());
    }

    @Test
    void aSpecWithoutParametersHasAnEmptyMapAndWritesNoField() throws Exception {
        ClusterSpec spec = ClusterSpecParser.YAML.readValue(YAML.substring(0, YAML.indexOf("parameters:")), ClusterSpec.class);
        assertNull(spec.parameters());
        assertTrue(spec.parametersOrEmpty().isEmpty());
        assertTrue(!ClusterSpecParser.toJson(spec).contains("parameters"));
    }

    @Test
    void aNestedParameterValueIsNotAString() {
        assertThrows(Exception.class, () -> ClusterSpecParser.YAML.readValue(
                "name: web\nprovider: stub\nsize: {min: 1, max: 2}\nparameters:\n  app: {warUrl: x}\n", ClusterSpec.class));
    }

    @Test
    void changedParametersAreListedByName() throws Exception {
        ClusterSpec before = ClusterSpecParser.YAML.readValue(YAML, ClusterSpec.class);
        ClusterSpec after = ClusterSpecParser.YAML.readValue(YAML.replace("\"1.2\"", "\"1.3\""), ClusterSpec.class);
        List<String> changes = ClusterDiff.between(before, after);
        assertEquals(List.of("parameters.app.version: 1.2 -> 1.3"), changes);
    }
}
