package io.rulescaler.cluster.deployable;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.time.Duration;

/** Where deployable types live and how often the folder is looked at for changes. */
@ConfigMapping(prefix = "rulescaler")
public interface DeployablesConfig {

    /** Folder of {@code *.yaml} deployable types ({@code RULESCALER_DEPLOYABLES_DIR}); missing means none. */
    @WithName("deployables-dir")
    @WithDefault("deployables")
    String deployablesDir();

    /** How often the folder is checked for added, changed or removed files. */
    @WithName("deployables-reload-interval")
    @WithDefault("5s")
    Duration deployablesReloadInterval();
}
