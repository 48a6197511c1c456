package io.rulescaler.orchestration.chain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rulescaler.action.ActionParameter;
import io.rulescaler.action.puppet.OSConfiguration;
import io.rulescaler.cluster.ClusterSpec;
import io.rulescaler.testing.BuiltInActions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Chains read cluster parameters as ${params.x}; chain files say who may start them and their cooldown. */
class ChainParametersTest {

    private static final Map<String, List<ActionParameter>> ACTIONS = BuiltInActions.parameters();

    static Chain shipped(String name) throws Exception {
        String content = Files.readString(Path.of("actions", name + ".yaml"));
        ChainParser.Result r = ChainParser.parse("actions/" + name + ".yaml", name, content, ACTIONS);
        assertTrue(r.ok(), r.errors().toString());
        return r.chain();
    }

    @Test
    void theShippedScaleOutReadsTheWarUrlFromParametersAndHoldsNoPlaceholderUrl() throws Exception {
        Chain out = shipped("scale-out");
        assertEquals(Set.of("app.warUrl"), out.requiredParameters());
        assertEquals(Set.of("scale"), out.triggers());
        for (String f : new String[] {"scale-out", "replace", "notify", "restart-app"}) {
            assertTrue(!Files.readString(Path.of("actions", f + ".yaml")).contains("example.com"), f);
        }
    }

    @Test
    void aClusterWithoutARequiredParameterIsNamedWithFileLineAndName() throws Exception {
        Chain out = shipped("scale-out");
        String content = Files.readString(Path.of("actions/scale-out.yaml"));
        ClusterSpec without = new ClusterSpec("web", null, "byon", null, null, new ClusterSpec.Sizing(0, 3, 0), null, null, null,
                null, null, null, null, null, null);
        List<ChainError> errors = ChainParameters.missing(out, content, without, "scale-out");
        assertEquals(1, errors.size(), errors.toString());
        int line = List.of(content.split("\n")).indexOf(List.of(content.split("\n")).stream()
                .filter(l -> l.contains("${params.app.warUrl}")).findFirst().orElseThrow()) + 1;
        assertEquals("actions/scale-out.yaml:" + line + ": params.app.warUrl", errors.get(0).file() + ":" + errors.get(0).line()
                + ": " + errors.get(0).field());
        assertTrue(errors.get(0).message().contains("does not define parameter 'app.warUrl'"), errors.get(0).message());
        ClusterSpec with = new ClusterSpec("web", null, "byon", null, null, new ClusterSpec.Sizing(0, 3, 0), null, null, null,
                null, null, null, null, null, null, Map.of("app.warUrl", "https://repo/app.war"));
        assertTrue(ChainParameters.missing(out, content, with, "scale-out").isEmpty());
    }

    @Test
    void triggersAndCooldownDefaultToManualAndScaleAndTenMinutes() throws Exception {
        Chain plain = ChainParser.parse("actions/x.yaml", "x", "steps:\n  - name: mail\n    action: Email\n    scope: cluster\n", ACTIONS).chain();
        // a chain file that does not say: operators and the clusters' scale operations, never rules
        assertEquals(Set.of("manual", "scale"), plain.triggers());
        assertEquals(600, plain.cooldownSeconds());
        Chain notify = shipped("notify");
        assertEquals(Set.of("rule", "manual"), notify.triggers());
        assertEquals(600, notify.cooldownSeconds());
        Chain quick = ChainParser.parse("actions/x.yaml", "x", "triggers: [rule]\ncooldown: 30s\nsteps:\n  - name: mail\n"
                + "    action: Email\n    scope: cluster\n", ACTIONS).chain();
        assertEquals(30, quick.cooldownSeconds());
    }

    @Test
    void badTriggersAndBadParameterNamesAreRefusedWithTheirLine() {
        ChainParser.Result r = ChainParser.parse("actions/x.yaml", "x", "triggers: [rule, cron]\nsteps:\n  - name: mail\n"
                + "    action: Email\n    scope: cluster\n    params: {details: \"${params.9x}\"}\n", ACTIONS);
        assertNull(r.chain());
        assertEquals(List.of("actions/x.yaml:1: triggers", "actions/x.yaml:6: steps[0].params.details"),
                r.errors().stream().map(e -> e.file() + ":" + e.line() + ": " + e.field()).toList());
    }

    @Test
    void aParameterIsTheRunsThenTheClustersThenItsDefault() {
        ChainParameters.Reference r = ChainParameters.parse("params.app.version:-latest");
        assertEquals(new ChainParameters.Reference("app.version", "latest"), r);
        assertEquals("2", ChainParameters.resolve(r, Map.of("app.version", "2"), Map.of("app.version", "1")));
        assertEquals("1", ChainParameters.resolve(r, Map.of(), Map.of("app.version", "1")));
        assertEquals("latest", ChainParameters.resolve(r, Map.of(), Map.of()));
        assertEquals("", ChainParameters.resolve(ChainParameters.parse("params.x"), Map.of(), Map.of()));
        assertNull(ChainParameters.parse("cluster.name"));
    }

    @Test
    void puppetSeesEachParameterAsAFact() {
        assertEquals("param_app_warurl", OSConfiguration.parameterFact("app.warUrl"));
        assertEquals("param_tomcat_heapmb", OSConfiguration.parameterFact("tomcat.heapMb"));
    }
}
