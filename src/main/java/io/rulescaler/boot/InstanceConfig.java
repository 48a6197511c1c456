package io.rulescaler.boot;

import io.smallrye.config.ConfigMapping;
import java.util.Optional;

/**
 * The instance's name in lease rows, read by start-up code itself so it depends on no stage of the flow; the key
 * keeps its historical place under {@code rulescaler.orchestration} (the rest of that prefix is OrchestrationConfig's).
 */
@ConfigMapping(prefix = "rulescaler.orchestration")
public interface InstanceConfig {

    /** Name of this instance in lease rows; default: host name plus a random suffix per start. */
    Optional<String> instanceId();
}
