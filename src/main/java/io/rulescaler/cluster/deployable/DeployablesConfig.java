package io.rulescaler.cluster.deployable;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Where deployable types live and how often the folder is looked at for changes (as {@code rulescaler.clusters.directory}). */
@ConfigMapping(prefix = "rulescaler.deployables")
public interface DeployablesConfig {

    /** Folder of {@code *.yaml} deployable types ({@code RULESCALER_DEPLOYABLES_DIR}); missing means none. */
    @WithDefault("deployables")
    String directory();

    /** How often the folder is checked for added, changed or removed files. */
    @WithDefault("5s")
    Duration reloadInterval();
}
