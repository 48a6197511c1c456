package io.rulescaler.capacity.chart;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What the console's capacity chart draws for one cluster over a window: desired and active node
 * counts as steps, every decision as a marker, every chain run (a rule's RunChain or an operator's)
 * as a marker along the top, alerts as bands, the sampled metrics the rules read, and the latest
 * vitals each node reported. Read from the tables, so it works on any instance.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CapacityChart(String cluster, String window, Instant from, Instant to, int min, int max,
                            List<Step> desired, List<Step> actual, List<Marker> decisions, List<Band> alerts,
                            List<Series> metrics, Map<String, Vitals> vitals, List<ChainMarker> chainRuns) {

    /** One chain run: when it was judged, the chain and node, the guard's verdict and what became of it. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ChainMarker(long id, Instant at, String chain, String node, String verdict, String status, String rule,
                              String why, String reason) {
    }

    /** From {@code at} on, the count is {@code value}. */
    public record Step(Instant at, int value) {
    }

    /** One decision: when, the guard's verdict, which rule, the target it led to and the guard's words. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Marker(long id, Instant at, String verdict, String rule, int target, boolean dryRun, String why,
                         String reason) {
    }

    /** An alert firing from {@code from} to {@code to} (null while it still fires). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Band(String name, Instant from, Instant to) {
    }

    /** One sampled metric (name plus labels) as the rules saw it. */
    public record Series(String name, List<Point> points) {
    }

    /** One sample. */
    public record Point(Instant at, double value) {
    }

    /** The last heartbeat's vitals of a node, where its agent reports them. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Vitals(Instant at, Double cpu, Double memory, Double load) {
    }
}
