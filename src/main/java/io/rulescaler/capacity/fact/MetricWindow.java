package io.rulescaler.capacity.fact;

/**
 * One metric's samples over one sliding window, kept current by a window rule (one accumulate per
 * metric and window), so decision rules read this one fact instead of each running its own
 * accumulate over every sample.
 *
 * <p>The window also remembers the cluster size its samples were taken at: {@code size} is the
 * number of active nodes, and {@code since} the time that size became active. The shipped window
 * rules count only samples taken since then, so cpu measured on one node is never read as if it
 * had been measured on two (compare Kubernetes' HPA, which ignores pods still starting). A target
 * rule can then multiply by {@code size} without dividing by a size the samples never saw.
 * {@code average} and {@code sum} are 0 while the window is empty.
 */
public final class MetricWindow {

    private final String metric;
    private final String span;
    private double average;
    private double sum;
    private long count;
    private int nodes;
    private int size = -1;
    private long since = Long.MIN_VALUE;

    public MetricWindow(String metric, String span) {
        this.metric = metric;
        this.span = span;
    }

    public String getMetric() {
        return metric;
    }

    /** The window's length as written in the rule, e.g. {@code "5m"}. */
    public String getSpan() {
        return span;
    }

    public double getAverage() {
        return average;
    }

    public void setAverage(double average) {
        this.average = average;
    }

    /** The sum of the values in the window. */
    public double getSum() {
        return sum;
    }

    public void setSum(double sum) {
        this.sum = sum;
    }

    public long getCount() {
        return count;
    }

    public void setCount(long count) {
        this.count = count;
    }

    /** How many different nodes reported (label {@code node}); 0 when the samples name none. */
    public int getNodes() {
        return nodes;
    }

    public void setNodes(int nodes) {
        this.nodes = nodes;
    }

    /** Active nodes when the window's samples were taken; -1 until the window has seen the cluster. */
    public int getSize() {
        return size;
    }

    public void setSize(int size) {
        this.size = size;
    }

    /** Epoch milliseconds from which samples count: when {@code size} became active (or the beginning). */
    public long getSince() {
        return since;
    }

    public void setSince(long since) {
        this.since = since;
    }

    /**
     * The size that brings a per-node metric to {@code target}: {@code ceil(size × average / target)},
     * at least 1, like HPA and EC2 target tracking; {@code size} when the window has no size yet. For a
     * rule's right-hand side: in a constraint, write the formula out, so Drools sees which properties it reads.
     */
    public int sizeFor(double target) {
        if (size <= 0 || target <= 0) {
            return Math.max(size, 0);
        }
        return Math.max(1, (int) Math.ceil(size * average / target - 1e-9));
    }

    /**
     * The size that brings a cluster-wide total (a queue's depth) to {@code target} per node:
     * {@code ceil(average / target)}, at least 1.
     */
    public int sizeForTotal(double target) {
        return target <= 0 ? Math.max(size, 0) : Math.max(1, (int) Math.ceil(average / target - 1e-9));
    }

    /** The per-node value of a cluster-wide total: {@code average / size} (the total itself while the size is unknown). */
    public double perNode() {
        return size <= 0 ? average : average / size;
    }

    @Override
    public String toString() {
        return "MetricWindow{metric=" + metric + ", span=" + span + ", average=" + average + ", sum=" + sum + ", count=" + count
                + ", nodes=" + nodes + ", size=" + size + "}";
    }
}
