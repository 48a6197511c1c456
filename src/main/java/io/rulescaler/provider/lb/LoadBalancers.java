package io.rulescaler.provider.lb;

import io.rulescaler.cluster.ClusterSpec;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.util.Optional;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2ClientBuilder;

/**
 * Picks the {@link LoadBalancer} adapter a cluster's spec names: {@code haproxy} (address = runtime API,
 * backend = backend name), {@code aws-elbv2} (backend = target group ARN, address = region), or none.
 */
@ApplicationScoped
public class LoadBalancers {

    private final LoadBalancerConfig config;

    public LoadBalancers(LoadBalancerConfig config) {
        this.config = config;
    }

    public LoadBalancerConfig config() {
        return config;
    }

    /** The adapter for this spec, or empty when the cluster has no load balancer. */
    public Optional<LoadBalancer> forSpec(ClusterSpec.LoadBalancer spec) {
        if (spec == null || spec.type() == null || spec.type().equals("none")) {
            return Optional.empty();
        }
        return switch (spec.type()) {
            case "haproxy" -> Optional.of(new HaproxyLoadBalancer(
                    new HaproxyRuntimeApi(spec.address(), config.haproxy().timeout()), spec.backend(),
                    config.haproxy().serverOptions().orElse("")));
            case "aws-elbv2" -> Optional.of(new AwsElbv2LoadBalancer(awsClient(spec.address()), spec.backend()));
            default -> throw new IllegalArgumentException("unknown load balancer type " + spec.type());
        };
    }

    private ElasticLoadBalancingV2Client awsClient(String region) {
        ElasticLoadBalancingV2ClientBuilder builder = ElasticLoadBalancingV2Client.builder()
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .region(Region.of(region == null || region.isBlank() ? config.aws().region() : region));
        config.aws().endpoint().ifPresent(endpoint -> builder.endpointOverride(URI.create(endpoint)));
        return builder.build();
    }
}
