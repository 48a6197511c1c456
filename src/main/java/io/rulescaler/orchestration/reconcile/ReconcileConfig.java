package io.rulescaler.orchestration.reconcile;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** When and how the node table is reconciled with what the provider profiles report. */
@ConfigMapping(prefix = "rulescaler.reconcile")
public interface ReconcileConfig {

    /** Reconcile every cluster once when the instance starts (after migrations, in the background). */
    @WithDefault("true")
    boolean onStart();

    /** How often every cluster is reconciled after that ({@code 5m}, {@code 30s}; {@code off} = only at start and on request). */
    @WithDefault("5m")
    String interval();

    /** A node whose machine was recorded less than this long ago is not failed yet (providers list new machines late). */
    @WithDefault("1m")
    Duration grace();

    /** Start a replace operation for each node failed because its machine vanished (else BoundsKeeper keeps {@code min}). */
    @WithDefault("true")
    boolean replace();
}
