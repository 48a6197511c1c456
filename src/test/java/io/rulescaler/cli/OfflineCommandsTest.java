package io.rulescaler.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The offline commands as a user runs them: exit codes and what they print, no database or HTTP. */
class OfflineCommandsTest {

    record Run(int exit, String out, String err) {
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = RulescalerCommand.commandLine();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void everyShippedScenarioPasses() {
        Run r = run("test-rules", "rules-tests");
        assertEquals(0, r.exit(), r.out() + r.err());
        assertTrue(r.out().matches("(?s).*\\b[1-9][0-9]+ passed, 0 failed.*"), r.out());
    }

    @Test
    void shippedRulesCheckClean() {
        Run r = run("check-rules", "src/main/resources/rules");
        assertEquals(0, r.exit(), r.out() + r.err());
        assertTrue(r.out().contains("ok    default: 8 file(s), 12 rule(s)"), r.out());
        assertTrue(r.out().contains("ok    step: 2 file(s), 4 rule(s)"), r.out());
    }

    @Test
    void brokenRulesExitOneWithFileLineColumn(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("bad.drl"), """
                package x;
                import io.rulescaler.capacity.fact.*;
                rule "r"
                when
                    ClusterView( desired > )
                then
                end
                """);
        Run r = run("check-rules", dir.toString());
        assertEquals(1, r.exit(), r.out() + r.err());
        assertTrue(r.err().startsWith(dir.resolve("bad.drl") + ":5:27: "), r.err());
        assertEquals(1, r.err().strip().split("\n").length, "one error, no parser noise: " + r.err());
    }

    @Test
    void failingScenarioShowsTheDiffAndExitsOne(@TempDir Path dir) throws Exception {
        Path sc = dir.resolve("wrong.yaml");
        Files.writeString(sc, """
                name: expects the wrong delta
                start: 2026-01-05T10:00:00Z
                cluster: {name: web, desired: 3, min: 1, max: 10}
                steps:
                  - at: 0s
                    alerts: [{name: HighLoad, fingerprint: f1}]
                    expect:
                      - {rule: "alert HighLoad: scale out by N", delta: 3}
                """);
        Run r = run("test-rules", sc.toString());
        assertEquals(1, r.exit(), r.out());
        assertTrue(r.out().contains("missing: rule=\"alert HighLoad: scale out by N\" delta=3"), r.out());
        assertTrue(r.out().contains("unexpected: rule=\"alert HighLoad: scale out by N\" delta=2"), r.out());
        assertTrue(r.out().contains("0 passed, 1 failed"), r.out());
    }

    @Test
    void scenarioWithATypoIsReportedNotIgnored(@TempDir Path dir) throws Exception {
        Path sc = dir.resolve("typo.yaml");
        Files.writeString(sc, "name: typo\nstepz: []\n");
        Run r = run("test-rules", sc.toString());
        assertEquals(1, r.exit());
        assertTrue(r.out().contains("cannot read scenario") && r.out().contains("stepz"), r.out());
    }

    @Test
    void simulateReplaysTheTraceAndWritesAChart(@TempDir Path dir) throws Exception {
        Path svg = dir.resolve("chart.svg");
        Run r = run("simulate", "--rules", "src/main/resources/rules/step", "--trace", "rules-tests/traces/morning-peak.csv",
                "--provisioning-delay", "3m", "--max", "12", "--svg", svg.toString());
        assertEquals(0, r.exit(), r.out() + r.err());
        assertTrue(r.out().contains("\"cpu high: add a node\" accepted"), r.out());
        assertTrue(r.out().contains("\"cpu low: remove a node\" accepted"), r.out());
        assertTrue(r.out().contains("summary:"), r.out());
        String chart = Files.readString(svg);
        assertTrue(chart.startsWith("<svg") && chart.contains("<path") && chart.contains("active nodes"), chart);
        for (String line : r.out().split("\n")) {
            String[] cells = line.trim().split("\\s+");
            if (cells.length > 4 && cells[2].matches("\\d+")) {
                int active = Integer.parseInt(cells[2]);
                int desired = Integer.parseInt(cells[4]);
                assertTrue(active >= 1 && desired <= 12, "within bounds: " + line);
            }
        }
    }
}
