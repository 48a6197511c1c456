package io.rulescaler.provider.lb;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** How the service talks to load balancers (which one a cluster uses is in its spec's loadBalancer). */
@ConfigMapping(prefix = "rulescaler.lb")
public interface LoadBalancerConfig {

    /** How long draining waits for open connections when the cluster spec sets no drainSeconds. */
    @WithDefault("30s")
    Duration drainTimeout();

    /** How often draining checks the open connections. */
    @WithDefault("500ms")
    Duration drainPoll();

    /** HAProxy runtime API settings. */
    Haproxy haproxy();

    /** AWS Elastic Load Balancing v2 settings. */
    Aws aws();

    /** HAProxy runtime API. */
    interface Haproxy {
        /** Connect and read timeout for one runtime API command. */
        @WithDefault("5s")
        Duration timeout();

        /** Options appended to {@code add server}, e.g. {@code check inter 2s} (empty: no health checks). */
        Optional<String> serverOptions();
    }

    /** AWS ELBv2 (credentials come from the SDK's default chain: environment, profile, instance role). */
    interface Aws {
        /** Region when the cluster's loadBalancer.address does not name one. */
        @WithDefault("us-east-1")
        String region();

        /** Endpoint override (e.g. a VPC endpoint); empty uses AWS's own. */
        Optional<String> endpoint();
    }
}
