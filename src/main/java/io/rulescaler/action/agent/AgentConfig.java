package io.rulescaler.action.agent;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Where node agents post their heartbeats, so the token hand-over can tell them. */
@ConfigMapping(prefix = "rulescaler.agent")
public interface AgentConfig {

    /** Base URL of this service as the nodes reach it (a load balancer in front of the instances in production). */
    @WithDefault("http://localhost:8080")
    String serviceUrl();
}
