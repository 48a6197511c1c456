package io.rulescaler.provider.dns;

import io.rulescaler.cluster.ClusterSpec;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.util.Optional;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.route53.Route53Client;
import software.amazon.awssdk.services.route53.Route53ClientBuilder;

/**
 * Builds the {@link DnsRegistrar} for a cluster from {@link DnsConfig}: RFC 2136 or Route 53; empty when DNS
 * is not configured or the cluster has no dnsBaseName.
 */
@ApplicationScoped
public class DnsRegistrars {

    private final DnsConfig config;
    private volatile Route53Client route53;

    public DnsRegistrars(DnsConfig config) {
        this.config = config;
    }

    public DnsConfig config() {
        return config;
    }

    public Optional<DnsRegistrar> forCluster(ClusterSpec cluster) {
        if (cluster.dnsBaseName() == null || cluster.dnsBaseName().isBlank()) {
            return Optional.empty();
        }
        if ("route53".equals(config.type())) {
            String zone = config.route53HostedZoneId().orElseThrow(() -> new IllegalArgumentException(
                    "rulescaler.dns.type=route53 needs rulescaler.dns.route53-hosted-zone-id"));
            return Optional.of(new Route53Registrar(route53(), zone, config.ttl()));
        }
        if (config.server().isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Rfc2136Registrar(new Rfc2136Registrar.Settings(
                config.server().get(), config.port(), config.zone().orElse(cluster.dnsBaseName()),
                config.tsigKeyName().orElse(null), config.tsigAlgorithm(), config.tsigSecret().orElse(null),
                config.ttl(), config.timeout())));
    }

    private Route53Client route53() {
        Route53Client client = route53;
        if (client == null) {
            synchronized (this) {
                if (route53 == null) {
                    Route53ClientBuilder builder = Route53Client.builder().region(Region.AWS_GLOBAL)
                            .httpClientBuilder(UrlConnectionHttpClient.builder());
                    config.route53Endpoint().ifPresent(endpoint -> builder.endpointOverride(URI.create(endpoint)));
                    route53 = builder.build();
                }
                client = route53;
            }
        }
        return client;
    }
}
