package io.rulescaler.cluster;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Where declarative cluster files live. */
@ConfigMapping(prefix = "rulescaler.clusters")
public interface ClustersConfig {

    /** Folder of cluster files (*.yaml, *.yml, *.json) applied at every start; missing is fine. */
    @WithDefault("clusters")
    String directory();
}
