package io.rulescaler.capacity.guard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rulescaler.handoff.ChainTerms;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The chain guard, case by case: each row changes one thing about an accepted request. */
class ChainGuardTest {

    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    private static final ChainTerms RESTART = new ChainTerms("restart-app", "actions/restart-app.yaml",
            Set.of("rule", "manual"), 600, Set.of("app.service"));
    private static final ChainGuard.Input OK = new ChainGuard.Input("rule", "restart-app", RESTART, "web-3", "active",
            Map.of("app.service", "tomcat10"), Map.of(), null, null, NOW, false, false);

    static Stream<Arguments> cases() {
        return Stream.<Arguments>of(
                row("accepted", i -> i, true, false, "run chain 'restart-app' for node 'web-3'"),
                row("for the whole cluster", i -> with(i, "node", null, "nodeState", null), true, false, "for the cluster"),
                row("chain not loaded", i -> with(i, "terms", null), false, false, "no chain 'restart-app' is loaded"),
                row("chain not for rules", i -> with(i, "terms", new ChainTerms("restart-app", "actions/restart-app.yaml",
                        Set.of("manual"), 600, Set.of())), false, false, "not by rule"),
                row("manual allowed where rule is not", i -> with(with(i, "terms", new ChainTerms("restart-app", "f",
                        Set.of("manual"), 600, Set.of())), "trigger", "manual"), true, false, "run chain"),
                row("unknown node", i -> with(i, "nodeState", null), false, false, "is not a node of this cluster"),
                row("node not active", i -> with(i, "nodeState", "draining"), false, false, "node 'web-3' is draining, not active"),
                row("parameter missing", i -> with(i, "clusterParameters", Map.of()), false, false, "[app.service]"),
                row("parameter given by the request", i -> with(with(i, "clusterParameters", Map.of()), "runParameters",
                        Map.of("app.service", "x")), true, false, "run chain"),
                row("a run pending or running", i -> with(i, "activeRun", 41L), false, false, "already has run 41"),
                row("inside the cooldown", i -> with(i, "lastStarted", NOW.minusSeconds(599)), false, false, "cooldown for node 'web-3' until"),
                row("cooldown over", i -> with(i, "lastStarted", NOW.minusSeconds(600)), true, false, "run chain"),
                row("cooldown 0 in the chain file", i -> with(with(i, "terms", new ChainTerms("restart-app", "f",
                        Set.of("rule"), 0, Set.of())), "lastStarted", NOW), true, false, "run chain"),
                row("paused refuses rules", i -> with(i, "paused", true), false, false, "cluster is paused"),
                row("paused lets an operator run it", i -> with(with(i, "paused", true), "trigger", "manual"), true, false, "run chain"),
                row("dry run: accepted, not acted on", i -> with(i, "dryRun", true), true, true, "dry run: recorded, not started"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void judges(String name, UnaryOperator<ChainGuard.Input> change, boolean accepted, boolean dryRun, String why) {
        ChainGuard.ChainVerdict v = ChainGuard.judge(change.apply(OK));
        assertEquals(accepted, v.accepted(), v.explanation());
        assertEquals(accepted && !dryRun, v.acts(), v.explanation());
        assertTrue(v.explanation().contains(why), v.explanation());
    }

    private static Arguments row(String name, UnaryOperator<ChainGuard.Input> change, boolean accepted, boolean dryRun, String why) {
        return Arguments.of(name, change, accepted, dryRun, why);
    }

    /** The input with fields replaced by name (pairs of name, value). */
    @SuppressWarnings("unchecked")
    private static ChainGuard.Input with(ChainGuard.Input i, Object... pairs) {
        Map<String, Object> m = new java.util.HashMap<>();
        m.put("trigger", i.trigger());
        m.put("terms", i.terms());
        m.put("node", i.node());
        m.put("nodeState", i.nodeState());
        m.put("clusterParameters", i.clusterParameters());
        m.put("runParameters", i.runParameters());
        m.put("activeRun", i.activeRun());
        m.put("lastStarted", i.lastStarted());
        m.put("paused", i.paused());
        m.put("dryRun", i.dryRun());
        for (int k = 0; k < pairs.length; k += 2) {
            m.put((String) pairs[k], pairs[k + 1]);
        }
        return new ChainGuard.Input((String) m.get("trigger"), i.chain(), (ChainTerms) m.get("terms"), (String) m.get("node"),
                (String) m.get("nodeState"), (Map<String, String>) m.get("clusterParameters"),
                (Map<String, String>) m.get("runParameters"), (Long) m.get("activeRun"), (Instant) m.get("lastStarted"), NOW,
                (Boolean) m.get("paused"), (Boolean) m.get("dryRun"));
    }
}
