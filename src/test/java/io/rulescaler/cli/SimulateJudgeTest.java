package io.rulescaler.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code simulate} as a judge of rule sets: the shipped tracker on the traces, --compare and --json. */
class SimulateJudgeTest {

    static final String CONSTANT = "rules-tests/traces/constant-demand.csv";

    static JsonNode json(OfflineCommandsTest.Run r) throws Exception {
        assertEquals(0, r.exit(), r.out() + r.err());
        return new ObjectMapper().readTree(r.out());
    }

    @Test
    void constantDemandSettlesAtTheTargetsSizeInOneStep(@TempDir Path dir) throws Exception {
        OfflineCommandsTest.Run r = OfflineCommandsTest.run("simulate", "--rules", "src/main/resources/rules", "--trace", CONSTANT,
                "--desired", "1", "--min", "1", "--max", "10", "--node-capacity", "1", "--all-rows", "--svg", dir.resolve("c.svg").toString());
        assertEquals(0, r.exit(), r.out() + r.err());
        int peak = 0;
        int lastActive = -1;
        int minAfterDrop = Integer.MAX_VALUE;
        for (String line : r.out().split("\n")) {
            String[] c = line.trim().split("\\s+");
            if (c.length < 6 || !c[2].matches("\\d+") || !c[0].matches("[0-9hms]+")) {
                continue;
            }
            Duration at = Durations.parse(c[0]);
            int active = Integer.parseInt(c[2]);
            int pending = Integer.parseInt(c[3]);
            peak = Math.max(peak, active + pending);
            if (at.compareTo(Duration.ofMinutes(25)) >= 0) {
                minAfterDrop = Math.min(minAfterDrop, active);
            }
            lastActive = active;
        }
        // 3.0 nodes of work at a 60 % target: ceil(3.0 / 0.6) = 5 nodes, in one step, never the step rule's 6
        assertEquals(5, peak, r.out());
        assertTrue(r.out().contains("accepted -> 5"), r.out());
        // under capacity at most the provisioning delay (3m) plus one window of three samples (1m at 30 s)
        String summary = r.out().lines().filter(l -> l.startsWith("summary")).findFirst().orElseThrow();
        assertTrue(summary.contains("under capacity for 4m of 1h00m"), summary);
        // after the drop to 0.6: ceil(0.6 / 0.6) = 1 node, never fewer
        assertEquals(1, lastActive);
        assertEquals(1, minAfterDrop);
    }

    @Test
    void aTargetOfSeventyFivePercentSettlesAtFourNodes(@TempDir Path dir) throws Exception {
        // the cluster parameter target.cpu sets the default set's cpu target (targets.drl reads ClusterParameters)
        JsonNode j = json(OfflineCommandsTest.run("simulate", "--rules", "src/main/resources/rules/default", "--trace", CONSTANT,
                "--desired", "1", "--max", "10", "--param", "target.cpu=75", "--json", "--svg", dir.resolve("c.svg").toString()));
        JsonNode run = j.get("runs").get(0);
        assertEquals(4, run.get("peakNodes").asInt(), j.toString());
        assertEquals(240, run.get("underCapacitySeconds").asInt(), j.toString());
        assertEquals(1, run.get("finalNodes").asInt(), j.toString());
    }

    @Test
    void compareSetsTwoRuleSetsSideBySideOnTheShippedTraces(@TempDir Path dir) throws Exception {
        for (String trace : new String[] {"rules-tests/traces/morning-peak.csv", "rules-tests/traces/step.csv", CONSTANT}) {
            Path svg = dir.resolve(Path.of(trace).getFileName() + ".svg");
            OfflineCommandsTest.Run r = OfflineCommandsTest.run("simulate", "--rules", "src/main/resources/rules/default", "--compare",
                    "src/main/resources/rules/step", "--trace", trace, "--desired", "1", "--max", "12", "--svg", svg.toString());
            assertEquals(0, r.exit(), r.out() + r.err());
            assertTrue(r.out().contains("== default") && r.out().contains("== step"), r.out());
            for (String row : new String[] {"node-hours", "time under capacity", "peak nodes", "operations", "largest overshoot"}) {
                assertTrue(r.out().lines().anyMatch(l -> l.startsWith(row) && l.trim().split("\\s{2,}").length == 3), row + "\n" + r.out());
            }
            String chart = Files.readString(svg);
            assertTrue(chart.contains("class=\"active run-0\"") && chart.contains("class=\"active run-1\""), trace);
            assertTrue(chart.contains("active nodes: default") && chart.contains("active nodes: step"), trace);
        }
        // on the constant demand, the step rule overshoots and holds nodes the tracker gives back
        JsonNode j = json(OfflineCommandsTest.run("simulate", "--rules", "src/main/resources/rules/default", "--compare",
                "src/main/resources/rules/step", "--trace", CONSTANT, "--desired", "1", "--max", "10", "--json",
                "--svg", dir.resolve("j.svg").toString()));
        JsonNode tracker = j.get("runs").get(0);
        JsonNode step = j.get("runs").get(1);
        assertEquals("default", tracker.get("ruleSet").asText());
        assertEquals("step", step.get("ruleSet").asText());
        assertEquals(6, step.get("peakNodes").asInt(), j.toString());
        assertTrue(tracker.get("peakNodes").asInt() < step.get("peakNodes").asInt(), j.toString());
        assertTrue(tracker.get("nodeHours").asDouble() < step.get("nodeHours").asDouble(), j.toString());
        assertTrue(tracker.get("underCapacitySeconds").asInt() < step.get("underCapacitySeconds").asInt(), j.toString());
        assertTrue(tracker.get("operations").asInt() < step.get("operations").asInt(), j.toString());
        assertTrue(tracker.get("largestOvershoot").asInt() < step.get("largestOvershoot").asInt(), j.toString());
        assertEquals(dir.resolve("j.svg").toString(), j.get("chart").asText());
    }

    @Test
    void exitCodesSayPassedFailedOrCouldNotRun(@TempDir Path dir) throws Exception {
        Path bad = dir.resolve("bad");
        Files.createDirectories(bad);
        Files.writeString(bad.resolve("x.drl"), "package x;\nrule \"r\" when Nope() then end\n");
        String[] trace = {"--trace", "rules-tests/traces/step.csv", "--svg", dir.resolve("s.svg").toString()};
        assertEquals(1, OfflineCommandsTest.run(concat(new String[] {"simulate", "--rules", bad.toString()}, trace)).exit());
        assertEquals(2, OfflineCommandsTest.run(concat(new String[] {"simulate", "--rules", dir.resolve("none").toString()}, trace)).exit());
        assertEquals(2, OfflineCommandsTest.run("simulate", "--rules", "src/main/resources/rules", "--trace", dir.resolve("no.csv").toString()).exit());
        assertEquals(2, OfflineCommandsTest.run(concat(new String[] {"simulate", "--rules", "src/main/resources/rules", "--provisioning-delay", "soon"}, trace)).exit());
        assertEquals(2, OfflineCommandsTest.run("simulate", "--no-such-option").exit());
        assertEquals(2, OfflineCommandsTest.run("check-rules", dir.resolve("none").toString()).exit());
        assertEquals(1, OfflineCommandsTest.run("check-rules", bad.toString()).exit());
        assertEquals(2, OfflineCommandsTest.run("test-rules", dir.resolve("none.yaml").toString()).exit());
        assertEquals(2, OfflineCommandsTest.run("test-rules", bad.toString()).exit(), "a folder without scenarios");
    }

    static String[] concat(String[] a, String[] b) {
        return Stream.concat(Stream.of(a), Stream.of(b)).toArray(String[]::new);
    }
}
