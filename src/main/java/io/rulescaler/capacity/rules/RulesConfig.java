package io.rulescaler.capacity.rules;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Whether rule files may come through the API at all: DRL is code that runs in the service. */
@ConfigMapping(prefix = "rulescaler.rules")
public interface RulesConfig {

    /** PUT /api/v1/rules/{set}/{file} takes DRL; false = rules come only from files in the rules folder. */
    @WithDefault("true")
    boolean apiUpload();
}
