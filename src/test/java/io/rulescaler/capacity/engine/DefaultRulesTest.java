package io.rulescaler.capacity.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rulescaler.capacity.fact.Alert;
import io.rulescaler.capacity.fact.ClusterView;
import io.rulescaler.capacity.fact.Heartbeat;
import io.rulescaler.capacity.fact.MetricWindow;
import io.rulescaler.capacity.fact.MetricsStale;
import io.rulescaler.capacity.fact.NodeView;
import io.rulescaler.capacity.fact.Sample;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The shipped default rule set, driven scenario by scenario on the pseudo clock. */
class DefaultRulesTest {

    /** Monday 2026-01-05, 07:00 UTC. */
    static final Instant MON = Instant.parse("2026-01-05T07:00:00Z");
    static CompiledRules rules;
    /** The example set "step": the step cpu rule the default set shipped before it tracked a target. */
    static CompiledRules step;

    @BeforeAll
    static void compile() {
        rules = RuleCompiler.compile("default", RuleSets.shipped().get("default"));
        assertTrue(rules.ok(), () -> rules.errors().toString());
        step = RuleCompiler.compile("step", RuleSets.shipped().get("step"));
        assertTrue(step.ok(), () -> step.errors().toString());
    }

    RuleSession session(Instant start, int desired) {
        return session(rules, start, desired);
    }

    RuleSession session(CompiledRules set, Instant start, int desired) {
        RuleSession s = new RuleSession("web", set, SessionLimits.DEFAULT, start);
        s.setCluster(ClusterView.of("web", desired, 1, 10));
        return s;
    }

    static Sample sample(String metric, Instant at, double v) {
        return new Sample("web", metric, Map.of(), v, at);
    }

    static List<String> rulesOf(Evaluation e) {
        return e.decisions().stream().map(FiredDecision::rule).toList();
    }

    @Test
    void indexListsEveryShippedFile() throws Exception {
        try (Stream<Path> files = Files.walk(Path.of("src/main/resources/rules"))) {
            long onDisk = files.filter(p -> p.toString().endsWith(".drl")).count();
            long listed = RuleSets.shipped().values().stream().mapToLong(List::size).sum();
            assertEquals(onDisk, listed, "src/main/resources/rules/index.txt must list every .drl file");
        }
    }

    @Test
    void highCpuAddsOneNodeLowCpuRemovesOne() {
        try (RuleSession s = session(step, MON, 3)) {
            for (int i = 0; i < 3; i++) {
                s.advanceTo(MON.plusSeconds(60L * i));
                s.event(sample("cpu", s.now(), 90));
            }
            Evaluation e = s.evaluate();
            assertEquals(List.of("cpu high: add a node"), rulesOf(e));
            assertEquals(1, e.decisions().get(0).decision().getDelta());
            assertTrue(e.decisions().get(0).decision().getReason().contains("90.0%"));
            // ten minutes later the window holds only low samples
            for (int i = 0; i < 3; i++) {
                s.advanceTo(MON.plus(Duration.ofMinutes(10 + i)));
                s.event(sample("cpu", s.now(), 5));
            }
            Evaluation low = s.evaluate();
            assertEquals(List.of("cpu low: remove a node"), rulesOf(low));
            assertEquals(-1, low.decisions().get(0).decision().getDelta());
        }
    }

    @Test
    void staleMetricsHoldCpuDecisions() {
        try (RuleSession s = session(step, MON, 3)) {
            s.stale("cpu", new MetricsStale("web", "cpu", MON, "prometheus down"));
            for (int i = 0; i < 3; i++) {
                s.event(sample("cpu", MON, 95));
            }
            assertTrue(s.evaluate().decisions().isEmpty());
            s.stale("cpu", null);
            assertEquals(List.of("cpu high: add a node"), rulesOf(s.evaluate()));
        }
    }

    @Test
    void cpuTracksTheTargetAndStaleMetricsHoldIt() {
        try (RuleSession s = session(MON, 2)) {
            s.stale("cpu", new MetricsStale("web", "cpu", MON, "prometheus down"));
            for (int i = 0; i < 3; i++) {
                s.event(sample("cpu", MON, 90));
            }
            assertTrue(s.evaluate().decisions().isEmpty());
            s.stale("cpu", null);
            Evaluation e = s.evaluate();
            assertEquals(List.of("cpu: track the target per node"), rulesOf(e));
            assertEquals(3, e.decisions().get(0).decision().getTarget(), "2 nodes x 90 % / 60 % = 3");
        }
    }

    @Test
    void theCpuWindowForgetsSamplesTakenAtAnotherSize() {
        try (RuleSession s = session(MON, 2)) {
            for (int i = 0; i < 3; i++) {
                s.event(new Sample("web", "cpu", Map.of("node", "web-" + (i % 2)), 90, MON));
            }
            s.evaluate();
            MetricWindow w = cpuWindow(s);
            assertEquals(3, w.getCount());
            assertEquals(270, w.getSum(), 1e-9);
            assertEquals(2, w.getNodes(), "two nodes reported");
            assertEquals(2, w.getSize());
            s.advanceTo(MON.plusSeconds(180));
            s.setCluster(new ClusterView("web", 3, 3, 0, 0, 1, 10, false, false, MON, null));
            s.event(sample("cpu", s.now(), 60));
            assertTrue(s.evaluate().decisions().isEmpty(), "one sample at 3 nodes decides nothing");
            w = cpuWindow(s);
            assertEquals(1, w.getCount(), "the samples taken on 2 nodes are not counted at 3");
            assertEquals(3, w.getSize());
            assertEquals(s.now().toEpochMilli(), w.getSince());
        }
    }

    static MetricWindow cpuWindow(RuleSession s) {
        return s.facts().stream().filter(o -> o instanceof MetricWindow m && m.getMetric().equals("cpu"))
                .map(MetricWindow.class::cast).findFirst().orElseThrow();
    }

    @Test
    void highLoadAlertScalesOutByItsLabelOrTwo() {
        try (RuleSession s = session(MON, 3)) {
            s.alert(new Alert("HighLoad", "web", "firing", "a1", MON, Map.of("alertname", "HighLoad"), Map.of()));
            Evaluation e = s.evaluate();
            assertEquals(List.of("alert HighLoad: scale out by N"), rulesOf(e));
            assertEquals(2, e.decisions().get(0).decision().getDelta());
            s.alert(new Alert("WebHighLoad", "web", "firing", "a2", MON, Map.of("scale_by", "5"), Map.of()));
            assertEquals(5, s.evaluate().decisions().get(0).decision().getDelta());
            s.alert(new Alert("DiskFull", "web", "firing", "a3", MON, Map.of(), Map.of()));
            assertTrue(s.evaluate().decisions().isEmpty(), "other alerts decide nothing");
        }
    }

    @Test
    void queueDepthTracksOneHundredJobsPerNode() {
        try (RuleSession s = session(MON, 2)) {
            s.event(sample("queue_depth", MON, 750));
            Evaluation e = s.evaluate();
            assertEquals(List.of("queue depth: track the target per node"), rulesOf(e));
            assertEquals(8, e.decisions().get(0).decision().getTarget());
            s.setCluster(ClusterView.of("web", 8, 1, 10));
            s.advanceTo(MON.plusSeconds(90));
            s.event(sample("queue_depth", s.now(), 790));
            assertTrue(s.evaluate().decisions().isEmpty(), "8 nodes already serve 790 jobs");
        }
    }

    @Test
    void lostHeartbeatsAskForAReplacement() {
        try (RuleSession s = session(MON, 3)) {
            s.putNode(new NodeView("web-1", "web", "active", "a", MON, MON, 0.5));
            s.event(new Heartbeat("web-1", "web", MON, 10.0, 20.0, 0.5));
            s.putNode(new NodeView("web-2", "web", "active", "a", MON, null, null));
            assertTrue(s.evaluate().decisions().isEmpty(), "a fresh heartbeat, and a node without the agent");
            s.advanceTo(MON.plusSeconds(60));
            s.event(new Heartbeat("web-1", "web", s.now(), 10.0, 20.0, 0.5));
            assertTrue(s.evaluate().decisions().isEmpty());
            s.advanceTo(MON.plusSeconds(60 + 121));
            Evaluation e = s.evaluate();
            assertEquals(List.of("heartbeats lost: add a replacement"), rulesOf(e));
            assertTrue(e.decisions().get(0).decision().getReason().contains("web-1"));
        }
    }

    @Test
    void lostHeartbeatsAreLeftToTheHealthChecksWhereTheClusterDeclaresThem() {
        try (RuleSession s = session(MON, 3)) {
            s.setCluster(new ClusterView("web", 3, 3, 0, 0, 1, 10, false, false, null, null, -1, 0, true));
            s.putNode(new NodeView("web-1", "web", "active", "a", MON, MON, 0.5));
            s.event(new Heartbeat("web-1", "web", MON, 10.0, 20.0, 0.5));
            s.advanceTo(MON.plusSeconds(181));
            Evaluation quiet = s.evaluate();
            assertTrue(quiet.decisions().isEmpty(), "the health checks replace the silent node; no extra node: " + rulesOf(quiet));
            s.setCluster(new ClusterView("web", 3, 3, 0, 0, 1, 10, false, false, null, null, -1, 0, false));
            s.advanceTo(MON.plusSeconds(182));
            assertEquals(List.of("heartbeats lost: add a replacement"), rulesOf(s.evaluate()), "without health checks the rule asks");
        }
    }

    @Test
    void weekdayMorningCronAsksForFourNodes() {
        try (RuleSession s = session(MON, 2)) {
            s.advanceTo(MON.plus(Duration.ofMinutes(59)));
            assertTrue(s.evaluate().decisions().isEmpty(), "07:59: not yet");
            s.advanceTo(MON.plus(Duration.ofMinutes(61)));
            Evaluation e = s.evaluate();
            assertEquals(List.of("weekday 08:00: at least 4 nodes"), rulesOf(e));
            assertEquals(4, e.decisions().get(0).decision().getTarget());
        }
        Instant saturday = Instant.parse("2026-01-10T07:00:00Z");
        try (RuleSession s = session(saturday, 2)) {
            s.advanceTo(saturday.plus(Duration.ofHours(2)));
            assertTrue(s.evaluate().decisions().isEmpty(), "no weekday on Saturday");
        }
    }
}
