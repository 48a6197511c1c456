package io.rulescaler.cluster.deployable;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rulescaler.error.InvalidInputException;
import jakarta.validation.Validation;
import java.nio.file.Files;
import java.nio.file.Path;
import org.hibernate.validator.messageinterpolation.ParameterMessageInterpolator;
import org.junit.jupiter.api.Test;

/** Deployable files are read as strictly as cluster files: every error names the file, the line and the field. */
class DeployableParserTest {

    private final DeployableParser parser = new DeployableParser(Validation.byDefaultProvider().configure()
            .messageInterpolator(new ParameterMessageInterpolator()).buildValidatorFactory().getValidator());

    private InvalidInputException refused(String content) {
        return assertThrows(InvalidInputException.class, () -> parser.parse("deployables/bad.yaml", "bad", content));
    }

    @Test
    void theShippedDeployableParsesWithAStubVariant() throws Exception {
        Deployable d = parser.parse("deployables/tomcat-app.yaml", "tomcat-app",
                Files.readString(Path.of("deployables/tomcat-app.yaml")));
        assertEquals("tomcat-app", d.name());
        assertTrue(d.profiles().containsKey("stub"), d.profiles().keySet().toString());
        assertEquals("admin", d.profiles().get("stub").loginUser());
        assertEquals("1024", d.parametersOrEmpty().get("tomcat.heapMb"));
        assertTrue(!d.parametersOrEmpty().containsKey("app.warUrl"), "no placeholder WAR URL is shipped");
    }

    @Test
    void anUnknownKeyInAVariantNamesFileLineAndField() {
        InvalidInputException e = refused("""
                description: x
                profiles:
                  stub:
                    imag: debian-12
                """);
        assertTrue(e.getMessage().startsWith("deployables/bad.yaml:4:"), e.getMessage());
        assertTrue(e.getMessage().contains("unknown field 'profiles.stub.imag'"), e.getMessage());
        assertEquals("Unknown field", e.title());
    }

    @Test
    void anUnknownTopLevelKeyIsAnError() {
        InvalidInputException e = refused("""
                profiles: {stub: {image: x}}
                paramters: {a: b}
                """);
        assertTrue(e.getMessage().startsWith("deployables/bad.yaml:2:"), e.getMessage());
        assertTrue(e.getMessage().contains("paramters"), e.getMessage());
    }

    @Test
    void aWrongTypeNamesTheLine() {
        InvalidInputException e = refused("""
                profiles:
                  stub:
                    image: x
                    minCores: many
                """);
        assertTrue(e.getMessage().startsWith("deployables/bad.yaml:4:"), e.getMessage());
        assertTrue(e.getMessage().contains("profiles.stub.minCores"), e.getMessage());
    }

    @Test
    void anInvalidValueNamesTheLineOfItsKey() {
        InvalidInputException e = refused("""
                description: cores out of range
                parameters: {a: b}
                profiles:
                  stub:
                    image: x
                    minCores: 0
                """);
        assertTrue(e.getMessage().startsWith("deployables/bad.yaml:6:"), e.getMessage());
        assertEquals("profiles[stub].minCores", e.field(), e.getMessage());
    }

    @Test
    void theLineIsTheOneOfTheVariantAtFault() {
        InvalidInputException e = refused("""
                profiles:
                  stub:
                    image: x
                    minCores: 2
                  lab:
                    image: y
                    minCores: 0
                """);
        assertTrue(e.getMessage().startsWith("deployables/bad.yaml:7:"), e.getMessage());
    }

    @Test
    void anInvalidProfileNameIsAnErrorAtItsLine() {
        InvalidInputException e = refused("""
                profiles:
                  stub: {image: x}
                  Not_A_Profile: {image: y}
                """);
        assertTrue(e.getMessage().startsWith("deployables/bad.yaml:3:"), e.getMessage());
        assertTrue(e.getMessage().contains("provider profile name"), e.getMessage());
    }

    @Test
    void noVariantAtAllOrAnotherNameIsRefused() {
        assertTrue(refused("description: nothing\n").getMessage().contains("at least one provider profile"));
        InvalidInputException named = refused("name: other\nprofiles: {stub: {image: x}}\n");
        assertTrue(named.getMessage().startsWith("deployables/bad.yaml:1:"), named.getMessage());
        assertTrue(named.getMessage().contains("'other'"), named.getMessage());
    }

    @Test
    void aliasesAreRefused() {
        InvalidInputException e = refused("""
                profiles:
                  stub: &v {image: x}
                  lab: *v
                """);
        assertTrue(e.getMessage().startsWith("deployables/bad.yaml:3:"), e.getMessage());
    }
}
