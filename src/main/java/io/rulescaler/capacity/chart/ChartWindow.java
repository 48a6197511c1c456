package io.rulescaler.capacity.chart;

import java.time.Duration;
import java.util.Map;

/** The windows the capacity chart offers; one list so the endpoint and its error message agree. */
public enum ChartWindow {
    H1("1h", Duration.ofHours(1)), H6("6h", Duration.ofHours(6)), H24("24h", Duration.ofHours(24)), D7("7d", Duration.ofDays(7));

    private static final Map<String, ChartWindow> BY_LABEL = Map.of("1h", H1, "6h", H6, "24h", H24, "7d", D7);

    private final String label;
    private final Duration length;

    ChartWindow(String label, Duration length) {
        this.label = label;
        this.length = length;
    }

    public String label() {
        return label;
    }

    public Duration length() {
        return length;
    }

    /** The window named {@code label} (1h, 6h, 24h, 7d), or null. */
    public static ChartWindow of(String label) {
        return label == null ? null : BY_LABEL.get(label);
    }
}
