package io.rulescaler.action.local;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Where LocalScript finds its scripts. */
@ConfigMapping(prefix = "rulescaler.actions.local-script")
public interface LocalScriptConfig {

    /** Folder scripts are taken from; a step's {@code script} param is a path inside it. */
    @WithDefault("fabric-scripts")
    String directory();

    /** Interpreter for scripts that are not executable. */
    @WithDefault("/bin/sh")
    String shell();
}
