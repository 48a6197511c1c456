package io.rulescaler.orchestration.chain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rulescaler.action.ActionParameter;
import io.rulescaler.testing.BuiltInActions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Chain files: every problem is reported with its line and field; the shipped and the tests' chains are valid. */
class ChainParserTest {

    static final Map<String, List<ActionParameter>> KNOWN = BuiltInActions.parameters();

    static Stream<Arguments> invalid() {
        String head = "name: bad\nsteps:\n";
        return Stream.of(
                Arguments.of("unknown action type", head + "  - name: deploy\n    action: DeployEC2Nod\n", 4, "steps[0].action", "unknown action 'DeployEC2Nod'"),
                Arguments.of("unknown field", head + "  - name: deploy\n    action: Noop\n    retries: 3\n", 5, "steps[0].retries", "unknown field"),
                Arguments.of("bad duration", head + "  - name: deploy\n    action: Noop\n    timeout: soon\n", 5, "steps[0].timeout", "not a duration"),
                Arguments.of("bad on-failure", head + "  - name: deploy\n    action: Noop\n    on-failure: panic\n", 5, "steps[0].on-failure", "not one of rollback, stop, continue"),
                Arguments.of("unknown variable", head + "  - name: deploy\n    action: Noop\n    params: {x: \"${cluster.nme}\"}\n", 5, "steps[0].params.x", "unknown variable ${cluster.nme}"),
                Arguments.of("node variable in a cluster step", head + "  - name: mail\n    action: Email\n    scope: cluster\n    params: {x: \"${node.name}\"}\n", 6, "steps[0].params.x", "only known in node-scoped steps"),
                Arguments.of("attempts out of range", head + "  - name: deploy\n    action: Noop\n    retry: {attempts: 0}\n", 5, "steps[0].retry.attempts", "between 1 and 100"),
                Arguments.of("unknown node state", head + "  - name: deploy\n    action: Noop\n    node-state: {start: booting}\n", 5, "steps[0].node-state.start", "not a node state"),
                Arguments.of("undo with unknown action", head + "  - name: deploy\n    action: Noop\n    undo: {action: Undeploy}\n", 5, "steps[0].undo.action", "unknown action 'Undeploy'"),
                Arguments.of("duplicate step", head + "  - name: a\n    action: Noop\n  - name: a\n    action: Noop\n", 5, "steps[1].name", "used twice"),
                Arguments.of("no steps", "name: bad\n", 1, "steps", "non-empty list"),
                Arguments.of("broken YAML", "name: bad\nsteps:\n  - name: [unclosed\n", 4, "(file)", "not valid YAML"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalid")
    void invalidFilesNameLineAndField(String name, String yaml, int line, String field, String message) {
        ChainParser.Result r = ChainParser.parse("actions/bad.yaml", "bad", yaml, KNOWN);
        assertTrue(!r.ok() && r.chain() == null, name);
        ChainError e = r.errors().get(0);
        assertEquals("actions/bad.yaml", e.file());
        assertEquals(field, e.field(), r.errors().toString());
        assertEquals(line, e.line(), r.errors().toString());
        assertTrue(e.message().contains(message), e.message());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("shipped")
    void shippedChainsAreValid(Path file) throws Exception {
        String base = file.getFileName().toString().replace(".yaml", "");
        ChainParser.Result r = ChainParser.parse(file.toString(), base, Files.readString(file), KNOWN);
        assertTrue(r.ok(), r.errors().toString());
        assertEquals(base, r.chain().name());
    }

    static Stream<Path> shipped() throws Exception {
        return Stream.of(Path.of("actions"), Path.of("src/test/chains")).flatMap(dir -> {
            try {
                return Files.list(dir).filter(p -> p.toString().endsWith(".yaml")).sorted().toList().stream();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    @ParameterizedTest(name = "{0} -> {1} ms")
    @MethodSource("durations")
    void durations(String text, long ms) {
        assertEquals(ms, ChainParser.parseDuration(text));
    }

    static Stream<Arguments> durations() {
        return Stream.of(Arguments.of("250ms", 250L), Arguments.of("30s", 30_000L), Arguments.of("10m", 600_000L),
                Arguments.of("1h", 3_600_000L), Arguments.of("45", 45_000L));
    }

    @org.junit.jupiter.api.Test
    void aValidChainKeepsEverythingItSays() {
        String yaml = """
                description: d
                steps:
                  - name: deploy
                    action: DeployEC2Node
                    nodes: added
                    parallelism: 5
                    timeout: 90s
                    retry: {attempts: 3, backoff: 2s}
                    on-failure: rollback
                    node-state: {start: provisioning, success: configuring}
                    undo: {action: DestroyNode, timeout: 5m}
                  - name: mail
                    action: Email
                    scope: cluster
                    on-failure: continue
                    params: {template: "operation-${operation.kind}"}
                """;
        ChainParser.Result r = ChainParser.parse("actions/x.yaml", "x", yaml, KNOWN);
        assertTrue(r.ok(), r.errors().toString());
        Chain c = r.chain();
        assertEquals("x", c.name());
        Chain.Step d = c.steps().get(0);
        assertEquals(Chain.Scope.NODE, d.scope());
        assertEquals(Chain.NodeFilter.ADDED, d.nodes());
        assertEquals(5, d.parallelism());
        assertEquals(90, d.timeoutSeconds());
        assertEquals(new Chain.Retry(3, 2000), d.retry());
        assertEquals("PROVISIONING", d.nodeStateOnStart());
        assertNotNull(d.undo());
        assertEquals(300, d.undo().timeoutSeconds());
        assertEquals(Chain.OnFailure.CONTINUE, c.steps().get(1).onFailure());
        assertEquals(Set.of("DeployEC2Node", "DestroyNode", "Email"), c.actionTypes());
    }
}
