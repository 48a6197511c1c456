package io.rulescaler.capacity.fact;

/**
 * The value a target-tracking rule keeps a metric at, with its tolerance band: a rule set's
 * settings rule inserts one per metric, so the target lives in one place an operator can override
 * (lay another {@code targets.drl} over the shipped one) instead of in every rule.
 */
public final class MetricTarget {

    private final String metric;
    private final double value;
    private final double tolerance;

    /** {@code tolerance} is a fraction: 0.1 means no decision while the metric is within ±10 % of {@code value}. */
    public MetricTarget(String metric, double value, double tolerance) {
        if (value <= 0 || tolerance < 0) {
            throw new IllegalArgumentException("a target needs a positive value and a tolerance of 0 or more: " + value + ", " + tolerance);
        }
        this.metric = metric;
        this.value = value;
        this.tolerance = tolerance;
    }

    public String getMetric() {
        return metric;
    }

    public double getValue() {
        return value;
    }

    public double getTolerance() {
        return tolerance;
    }

    /** True when {@code perNode} is outside the band, so the size should change (HPA's tolerance). */
    public boolean outside(double perNode) {
        return Math.abs(perNode / value - 1) > tolerance;
    }

    @Override
    public String toString() {
        return "MetricTarget{metric=" + metric + ", value=" + value + ", tolerance=" + tolerance + "}";
    }
}
