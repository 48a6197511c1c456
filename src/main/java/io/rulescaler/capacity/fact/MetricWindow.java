package io.rulescaler.capacity.fact;

/**
 * The average and count of one metric's samples over one sliding window, kept current by a
 * window rule (one accumulate per metric and window), so decision rules read this one fact
 * instead of each running its own accumulate over every sample. {@code average} is 0 while the
 * window is empty.
 */
public final class MetricWindow {

    private final String metric;
    private final String span;
    private double average;
    private long count;

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

    public long getCount() {
        return count;
    }

    public void setCount(long count) {
        this.count = count;
    }

    @Override
    public String toString() {
        return "MetricWindow{metric=" + metric + ", span=" + span + ", average=" + average + ", count=" + count + "}";
    }
}
