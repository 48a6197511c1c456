package io.rulescaler.provider.dns;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** The DNS server that takes RFC 2136 dynamic updates for node names, and how names are formed. */
@ConfigMapping(prefix = "rulescaler.dns")
public interface DnsConfig {

    /** How names are kept: {@code rfc2136} (dynamic updates to {@link #server()}) or {@code route53}. */
    @WithDefault("rfc2136")
    String type();

    /** Route 53 hosted zone id (e.g. Z1D633PJN98FT9) when type is route53. */
    Optional<String> route53HostedZoneId();

    /** Route 53 endpoint override (empty uses AWS's own); credentials come from the AWS SDK default chain. */
    Optional<String> route53Endpoint();

    /** Primary server for updates (host or IP); with type rfc2136, empty disables the DNS steps (they succeed doing nothing). */
    Optional<String> server();

    /** Its port. */
    @WithDefault("53")
    int port();

    /** Zone to update (e.g. example.com); empty means the cluster's dnsBaseName is itself the zone. */
    Optional<String> zone();

    /** Name of the TSIG key the server accepts updates with; empty sends unsigned updates. */
    Optional<String> tsigKeyName();

    /** TSIG algorithm: hmac-sha256, hmac-sha512, hmac-sha1 or hmac-md5. */
    @WithDefault("hmac-sha256")
    String tsigAlgorithm();

    /** TSIG secret, base64 (as in BIND's key statement). */
    Optional<String> tsigSecret();

    /** TTL of node records, in seconds. */
    @WithDefault("60")
    int ttl();

    /** How long one update may take. */
    @WithDefault("5s")
    Duration timeout();

    /** Node name pattern: {index} the node's index, {zone} its zone (dropped when empty), {base} the cluster's dnsBaseName. */
    @WithDefault("{index}.{zone}.{base}")
    String namePattern();
}
