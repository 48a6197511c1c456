package io.rulescaler.action.script;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Where scripts and fabfiles live and how DistributeScript and FabricTask run them. */
@ConfigMapping(prefix = "rulescaler.scripts")
public interface ScriptsConfig {

    /** Local folder of scripts (run over SSH by DistributeScript) and fabfiles (run by FabricTask). */
    @WithDefault("fabric-scripts")
    String directory();

    /** How many hosts a DistributeScript step works on at once when the step does not say. */
    @WithDefault("4")
    int parallelism();

    /** Python that has Fabric 2 installed (Debian's {@code python3-fabric} lives under /usr/bin/python3). */
    @WithDefault("/usr/bin/python3")
    String fabricPython();
}
