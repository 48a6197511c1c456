package io.rulescaler.boot;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Where this instance keeps its local state. */
@ConfigMapping(prefix = "rulescaler.storage")
public interface StorageConfig {

    /** Folder for the embedded database, the stub provider's machines and the admin token file. */
    @WithDefault("data")
    String dataDir();
}
