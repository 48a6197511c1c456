package io.rulescaler.cli;

import static io.rulescaler.cli.OfflineCommandsTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The offline tools show what the chain guard makes of a rule's RunChain: {@code test-rules} prints and checks the
 * verdicts (chain files from --chains, cooldowns, pause), {@code simulate} marks chain runs on its output and chart,
 * and both give the cluster's parameters to the rules as ClusterParameters.
 */
class ChainRunsOfflineTest {

    @Test
    void testRulesPrintsChainRunsWithTheirVerdicts() {
        OfflineCommandsTest.Run r = run("test-rules", "-v", "rules-tests/alerts.yaml");
        assertEquals(0, r.exit(), r.out() + r.err());
        assertTrue(r.out().contains("chain=notify verdict=accepted why=\"run chain 'notify' for the cluster\""), r.out());
        assertTrue(r.out().contains("chain=notify verdict=refused why=\"chain 'notify' cooldown for the cluster until"
                + " 2026-01-05T10:10:00Z"), r.out());
        assertTrue(r.out().contains("verdict=refused why=\"cluster is paused"), r.out());
    }

    @Test
    void aChainTheRulesMayNotStartIsRefusedAndTheScenarioSaysWhy(@TempDir Path dir) throws Exception {
        Path chains = Files.createDirectories(dir.resolve("chains"));
        Files.writeString(chains.resolve("notify.yaml"), """
                name: notify
                triggers: [manual]
                steps:
                  - {name: mail, action: Email, scope: cluster}
                """);
        OfflineCommandsTest.Run r = run("test-rules", "--chains", chains.toString(), "rules-tests/alerts.yaml");
        assertEquals(1, r.exit(), r.out());
        assertTrue(r.out().contains("FAIL  rules-tests/alerts.yaml: with the guard, the at-max mail starts once"), r.out());
        assertTrue(r.out().contains("may be started by [manual], not by rule; add rule to its 'triggers'"), r.out());
        // a scenario without a guard does not judge chain runs: still passes
        assertTrue(r.out().contains("ok    rules-tests/alerts.yaml: at max and still hot, the on-call gets mailed through notify"),
                r.out());
        assertEquals(2, run("test-rules", "--chains", dir.resolve("missing").toString(), "rules-tests/alerts.yaml").exit());
    }

    @Test
    void scenarioParametersReachTheRules(@TempDir Path dir) throws Exception {
        Path rules = Files.createDirectories(dir.resolve("rules/mine"));
        Files.writeString(rules.resolve("limit.drl"), """
                package t;
                import io.rulescaler.capacity.fact.*;
                rule "above the cluster's alert.cpu: mail"
                when
                    ClusterParameters( has( "alert.cpu" ), $limit : number( "alert.cpu", 0 ) )
                    $s : Sample( metric == "cpu", value > $limit )
                then
                    insert( new RunChain( "notify", "cpu " + $s.getValue() + " above " + $limit ) );
                end
                """);
        Path scenario = dir.resolve("limit.yaml");
        Files.writeString(scenario, """
                rules: rules
                ruleSet: mine
                cluster: {name: web, desired: 2, min: 1, max: 4, parameters: {alert.cpu: "90"}}
                steps:
                  - at: 0s
                    samples: [{metric: cpu, value: 95}]
                    expect: [{chain: notify, reason: "cpu 95.0 above 90.0"}]
                  - at: 1m
                    cluster: {parameters: {alert.cpu: "99"}}
                    samples: [{metric: cpu, value: 96}]
                    expect: []
                  - at: 2m
                    cluster: {parameters: {}}
                    samples: [{metric: cpu, value: 150}]
                    expect: []
                """);
        OfflineCommandsTest.Run r = run("test-rules", scenario.toString());
        assertEquals(0, r.exit(), r.out() + r.err());
        Files.writeString(scenario, Files.readString(scenario).replace("\"99\"", "\"50\""));
        r = run("test-rules", scenario.toString());
        assertEquals(1, r.exit(), "the changed parameter decides again: " + r.out());
        assertTrue(r.out().contains("unexpected: rule=\"above the cluster's alert.cpu: mail\" chain=notify"), r.out());
    }

    @Test
    void simulateMarksChainRunsOnItsOutputAndChart(@TempDir Path dir) throws Exception {
        Path rules = Files.createDirectories(dir.resolve("rules/hot"));
        Files.writeString(rules.resolve("hot.drl"), """
                package t;
                import io.rulescaler.capacity.fact.*;
                rule "cpu above alert.cpu: mail"
                when
                    ClusterParameters( $limit : number( "alert.cpu", 1000 ) )
                    $s : Sample( metric == "cpu", value > $limit )
                then
                    insert( new RunChain( "notify", "cpu " + $s.getValue() ) );
                end
                """);
        Path svg = dir.resolve("chart.svg");
        OfflineCommandsTest.Run r = run("simulate", "--rules", dir.resolve("rules").toString(), "--trace",
                "rules-tests/traces/constant-demand.csv", "--desired", "1", "--max", "1", "--param", "alert.cpu=150",
                "--all-rows", "--svg", svg.toString());
        assertEquals(0, r.exit(), r.out() + r.err());
        // 300 % cpu on the one node for 25 minutes: a mail at once, the cooldown refuses the next 10 minutes, then again
        assertTrue(r.out().contains("chain notify started by \"cpu above alert.cpu: mail\""), r.out());
        assertTrue(r.out().contains("chain notify refused (chain 'notify' cooldown for the cluster"), r.out());
        assertTrue(r.out().matches("(?s).*summary: .*, 3 chain run\\(s\\) started, \\d+ refused.*"), r.out());
        String chart = Files.readString(svg);
        assertTrue(chart.contains("class=\"chain accepted run-0\"") && chart.contains("class=\"chain refused run-0\""), chart);
        assertTrue(chart.contains("chain run a rule asked for"), chart);

        // without the parameter the rule's default limit holds: no chain run, and no chain legend
        Path quiet = dir.resolve("quiet.svg");
        r = run("simulate", "--rules", dir.resolve("rules").toString(), "--trace", "rules-tests/traces/constant-demand.csv",
                "--desired", "1", "--max", "1", "--svg", quiet.toString(), "--json");
        assertEquals(0, r.exit(), r.out() + r.err());
        assertTrue(r.out().contains("\"chainRuns\" : 0"), r.out());
        assertFalse(Files.readString(quiet).contains("class=\"chain "));
    }
}
