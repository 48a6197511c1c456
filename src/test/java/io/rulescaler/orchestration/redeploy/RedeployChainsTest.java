package io.rulescaler.orchestration.redeploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rulescaler.error.InvalidInputException;
import io.rulescaler.orchestration.chain.Chain;
import io.rulescaler.orchestration.chain.ChainParser;
import io.rulescaler.testing.BuiltInActions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A redeploy's chain is built from the shipped chains as the docs say, and its request is read strictly. */
class RedeployChainsTest {

    private static Chain shipped(String name) throws Exception {
        Path file = Path.of("actions", name + ".yaml");
        ChainParser.Result r = ChainParser.parse(file.toString(), name, Files.readString(file), BuiltInActions.parameters());
        assertTrue(r.ok(), r.errors().toString());
        return r.chain();
    }

    @Test
    void inPlaceTakesTheDrainFromScaleInAndTheConfigurationFromScaleOut() throws Exception {
        RedeployChains.InPlace parts = RedeployChains.inPlace(shipped("scale-out"), shipped("scale-in"));
        assertEquals("DrainLoadBalancer", parts.drain().action());
        assertEquals("RegisterLoadBalancer", parts.register().action());
        assertEquals("ACTIVE", parts.register().nodeStateOnSuccess());
        assertEquals(List.of("configure/os-configuration", "configure/configure-tomcat", "configure/deploy-application"),
                parts.configure().stream().map(Chain.Step::name).toList());
        assertTrue(parts.configure().stream().allMatch(s -> s.undo() == null && s.nodeStateOnSuccess() == null));

        Chain chain = RedeployChains.inPlaceChain(parts, 2, 30, 7);
        List<String> names = chain.steps().stream().map(Chain.Step::name).toList();
        assertEquals(List.of("batch-1/drain", "batch-1/configure/os-configuration", "batch-1/configure/configure-tomcat",
                "batch-1/configure/deploy-application", "batch-1/health-gate", "batch-1/register", "batch-2/drain",
                "batch-2/configure/os-configuration", "batch-2/configure/configure-tomcat", "batch-2/configure/deploy-application",
                "batch-2/health-gate", "batch-2/register"), names);
        Chain.Step gate = chain.steps().get(4);
        assertEquals(Map.of("seconds", "30", "specVersion", "7"), gate.params());
        assertEquals(Chain.OnFailure.STOP, gate.onFailure());
    }

    @Test
    void stubClustersDrainWithTheLocalScripts() throws Exception {
        RedeployChains.InPlace parts = RedeployChains.inPlace(shipped("stub-scale-out"), shipped("stub-scale-in"));
        assertEquals(Map.of("script", "local/drain.sh"), parts.drain().params());
        assertEquals(Map.of("script", "local/undrain.sh"), parts.register().params());
        assertEquals(List.of("configure/configure"), parts.configure().stream().map(Chain.Step::name).toList());
    }

    @Test
    void replacingGatesTheNewNodeBeforeItJoinsTheLoadBalancer() throws Exception {
        Chain chain = RedeployChains.replaceChain(shipped("replace"), 1, 60, 3);
        List<String> names = chain.steps().stream().map(Chain.Step::name).toList();
        assertEquals(names.indexOf("batch-1/register-load-balancer") - 1, names.indexOf("batch-1/health-gate"), names.toString());
        assertTrue(names.stream().noneMatch(n -> n.endsWith("/notify")), "mails are the operation's: " + names);
        assertNull(chain.steps().get(names.indexOf("batch-1/deploy")).undo(), "a cancel never destroys new nodes");
        assertEquals("RegisterLoadBalancer", chain.steps().get(names.indexOf("batch-1/drain-old")).undo().action());
    }

    @Test
    void tooManyBatchesAreRefusedWithTheBatchSizeThatFits() {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> RedeployChains.checkLength(6, 200, 200));
        assertTrue(e.getMessage().contains("batchSize of at least 2"), e.getMessage());
    }

    @Test
    void theRequestIsReadStrictly() {
        RedeployInput in = RedeployInput.parse("{\"parameters\": {\"app.version\": \"2\"}, \"batchPercent\": 25}");
        assertEquals("in-place", in.strategy());
        assertEquals("rollback", in.onFailure());
        assertEquals(3, in.batchFor(12));
        assertEquals(1, in.batchFor(2), "at least one node per batch");
        assertEquals(1, RedeployInput.parse("").batchFor(5), "one node at a time by default");
        assertThrows(InvalidInputException.class, () -> RedeployInput.parse("{\"strategy\": \"canary\"}"));
        assertThrows(InvalidInputException.class, () -> RedeployInput.parse("{\"batchSize\": 0}"));
        assertThrows(InvalidInputException.class, () -> RedeployInput.parse("{\"batchPercent\": 0}"));
        assertThrows(InvalidInputException.class, () -> RedeployInput.parse("{\"healthGateSeconds\": \"soon\"}"));
        assertThrows(InvalidInputException.class, () -> RedeployInput.parse("{\"batchsize\": 2}"));
        assertThrows(InvalidInputException.class, () -> RedeployInput.parse("{\"parameters\": {\"1bad\": \"x\"}}"));
    }
}
