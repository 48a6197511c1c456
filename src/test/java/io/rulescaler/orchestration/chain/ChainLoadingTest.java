package io.rulescaler.orchestration.chain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rulescaler.action.ActionParameter;
import io.rulescaler.testing.BuiltInActions;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A step is checked against the action it names when its chain loads: the action must exist, and
 * its params must be ones the action declares, with every required one present and every value of
 * the declared type. Each refusal names file, line, field and what the action knows.
 */
class ChainLoadingTest {

    private static final Map<String, List<ActionParameter>> ACTIONS = BuiltInActions.parameters();
    private static final String HEAD = "name: bad\nsteps:\n";

    static Stream<Arguments> refused() {
        return Stream.of(
                Arguments.of("unknown action",
                        "  - name: deploy\n    action: DeployEC2Nod\n",
                        4, "steps[0].action", "unknown action 'DeployEC2Nod' (known: ", "DeployEC2Node, DeregisterLoadBalancer"),
                Arguments.of("unknown undo action",
                        "  - name: deploy\n    action: DeployEC2Node\n    undo: {action: DestroyNod}\n",
                        5, "steps[0].undo.action", "unknown action 'DestroyNod' (known: ", "DestroyNode"),
                Arguments.of("unknown parameter",
                        "  - name: tomcat\n    action: DistributeScript\n    params:\n      script: tomcat-configure.sh\n"
                                + "      scirpt: typo.sh\n",
                        7, "steps[0].params.scirpt", "unknown parameter 'scirpt' of DistributeScript",
                        "known parameters of DistributeScript: script (text, required), args (words)"),
                Arguments.of("parameter of an action that takes none",
                        "  - name: deploy\n    action: DeployEC2Node\n    params: {tag: web}\n",
                        5, "steps[0].params.tag", "unknown parameter 'tag' of DeployEC2Node", "DeployEC2Node takes no parameters"),
                Arguments.of("missing required",
                        "  - name: tomcat\n    action: DistributeScript\n    scope: node\n    params: {targets: all}\n",
                        4, "steps[0].params.script", "DistributeScript needs parameter 'script'", "script (text, required)"),
                Arguments.of("missing required in undo",
                        "  - name: deploy\n    action: DeployEC2Node\n    undo:\n      action: LocalScript\n",
                        6, "steps[0].undo.params.script", "LocalScript needs parameter 'script'",
                        "any other name (text)"),
                Arguments.of("wrong type: whole number",
                        "  - name: register\n    action: RegisterLoadBalancer\n    params: {port: http}\n",
                        5, "steps[0].params.port", "parameter 'port' of RegisterLoadBalancer must be a whole number from 1 to 65535, was 'http'",
                        "known parameters of RegisterLoadBalancer: port (whole number 1..65535)"),
                Arguments.of("wrong type: number out of range",
                        "  - name: update\n    action: DistributeScript\n    params: {script: a.sh, parallelism: \"0\"}\n",
                        5, "steps[0].params.parallelism", "must be a whole number from 1 to 256, was 0", "parallelism (whole number 1..256)"),
                Arguments.of("wrong type: flag",
                        "  - name: puppet\n    action: OSConfiguration\n    params:\n      sudo: yes please\n",
                        6, "steps[0].params.sudo", "parameter 'sudo' of OSConfiguration must be true or false, was 'yes please'",
                        "sudo (true|false, default false)"),
                Arguments.of("wrong type: not one of the choices",
                        "  - name: update\n    action: DistributeScript\n    params: {script: a.sh, targets: everyone}\n",
                        5, "steps[0].params.targets", "must be one of node, peers, all, was 'everyone'", "targets (node|peers|all)"),
                Arguments.of("wrong type: map key",
                        "  - name: puppet\n    action: OSConfiguration\n    params:\n      fact.App-Url: x\n",
                        6, "steps[0].params.fact.App-Url", "parameter 'fact.App-Url' of OSConfiguration must have a key matching [a-z][a-z0-9_]{0,63} after 'fact.', was 'App-Url'", "fact.<key> (map)"),
                Arguments.of("wrong mail template",
                        "  - name: notify\n    action: Email\n    scope: cluster\n    params: {template: operation-sucess}\n",
                        6, "steps[0].params.template", "must be one of operation-succeeded, operation-started, operation-failed",
                        "template (operation-succeeded|operation-started|operation-failed, default operation-succeeded)"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refused")
    void aChainThatDoesNotFitItsActionsIsRefusedAtLoad(String name, String steps, int line, String field, String message,
            String known) {
        ChainParser.Result r = ChainParser.parse("actions/bad.yaml", "bad", HEAD + steps, ACTIONS);
        assertNull(r.chain(), name);
        assertEquals(1, r.errors().size(), r.errors().toString());
        ChainError e = r.errors().get(0);
        assertEquals("actions/bad.yaml:" + line, e.file() + ":" + e.line(), e.toString());
        assertEquals(field, e.field(), e.toString());
        assertTrue(e.message().contains(message), e.message());
        assertTrue(e.message().contains(known), e.message());
        assertTrue(e.toString().startsWith("actions/bad.yaml:" + line + ": " + field + ": "), e.toString());
    }

    static Stream<Arguments> accepted() {
        return Stream.of(
                Arguments.of("placeholders are text at load, typed when the task runs",
                        "  - name: register\n    action: RegisterLoadBalancer\n    scope: node\n    params: {port: \"${outputs.app.port}\"}\n"),
                Arguments.of("map entries and words",
                        "  - name: puppet\n    action: OSConfiguration\n    params: {fact.app_war_url: \"http://x/${cluster.name}.war\", role: web}\n"
                                + "  - name: fab\n    action: FabricTask\n    params: {task: deploy, arg.version: \"2\", env.HOME_DIR: /srv}\n"
                                + "  - name: local\n    action: LocalScript\n    params: {script: a.sh, args: one two, greeting: hello}\n"),
                Arguments.of("a required parameter with a placeholder",
                        "  - name: update\n    action: DistributeScript\n    params: {script: \"${outputs.script}\", manageSystem: \"false\"}\n"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("accepted")
    void aChainThatFitsItsActionsLoads(String name, String steps) {
        ChainParser.Result r = ChainParser.parse("actions/ok.yaml", "ok", "name: ok\nsteps:\n" + steps, ACTIONS);
        assertTrue(r.ok(), name + ": " + r.errors());
    }

    @Test
    void everyProblemOfOneFileIsReportedAtOnce() {
        String yaml = HEAD + "  - name: a\n    action: Noop\n    params: {sleepMs: soon, colour: red}\n"
                + "  - name: b\n    action: DistributeScript\n";
        List<ChainError> errors = ChainParser.parse("actions/bad.yaml", "bad", yaml, ACTIONS).errors();
        assertEquals(List.of("steps[0].params.sleepMs", "steps[0].params.colour", "steps[1].params.script"),
                errors.stream().map(ChainError::field).toList(), errors.toString());
        assertEquals(List.of(5, 5, 7), errors.stream().map(ChainError::line).toList());
    }
}
