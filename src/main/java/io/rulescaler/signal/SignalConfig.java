package io.rulescaler.signal;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** Settings of signal intake: the Alertmanager webhook, pushed samples and the PromQL poller. */
@ConfigMapping(prefix = "rulescaler.signal")
public interface SignalConfig {

    /** Alert label that names the cluster an alert is for. */
    @WithDefault("cluster")
    String alertClusterLabel();

    /** Most samples accepted in one POST /api/v1/samples. */
    @WithDefault("10000")
    int maxSamplesPerBatch();

    /** Most alerts stored in one group commit of the webhook (a bigger single delivery is stored alone). */
    @WithDefault("500")
    int alertGroupMaxAlerts();

    /**
     * Under load (the previous group was written less than this ago), how long the delivery that
     * writes the next group waits for as many deliveries as the previous group had: each commit
     * costs the database far more than a row, so bigger groups mean more deliveries per second.
     * An isolated delivery never waits. 0 turns it off.
     */
    @WithDefault("1ms")
    Duration alertGroupLinger();

    /** How far in the future a pushed sample or heartbeat may be stamped (clocks differ a little, not more). */
    @WithDefault("5m")
    Duration maxClockSkew();

    /** How old a pushed sample or heartbeat may be; older ones are refused (the rules' windows are minutes long). */
    @WithDefault("1h")
    Duration maxSignalAge();

    /** The PromQL poller. */
    Poller poller();

    /** Where and how the poller asks Prometheus. */
    interface Poller {

        /** Run the poller at all (per-cluster queries come from each spec's scaling.queries). */
        @WithDefault("true")
        boolean enabled();

        /** Base URL of Prometheus, e.g. http://127.0.0.1:9090; without it the poller does nothing. */
        Optional<String> prometheusUrl();

        /** Interval of a query that names none. */
        @WithDefault("30s")
        Duration defaultInterval();

        /** Time limit of one query. */
        @WithDefault("5s")
        Duration timeout();
    }
}
