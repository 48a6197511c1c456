package io.rulescaler.testing;

import io.rulescaler.action.puppet.PuppetConfig;
import io.rulescaler.action.script.ScriptsConfig;
import io.rulescaler.provider.dns.DnsConfig;
import io.rulescaler.provider.dns.DnsRegistrars;
import io.rulescaler.provider.lb.LoadBalancerConfig;
import io.rulescaler.provider.lb.LoadBalancers;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** Configuration values for building the remote-configuration beans by hand in tests that do not start Quarkus. */
public final class RemoteTestConfig {

    private RemoteTestConfig() {
    }

    public static PuppetConfig puppet(Path directory, Path remoteDirectory) {
        return new PuppetConfig() {
            public String directory() { return directory.toString(); }
            public String remoteDirectory() { return remoteDirectory.toString(); }
            public String command() { return "puppet apply"; }
            public Optional<String> extraArguments() { return Optional.empty(); }
        };
    }

    public static ScriptsConfig scripts(String directory) {
        return new ScriptsConfig() {
            public String directory() { return directory; }
            public int parallelism() { return 4; }
            public String fabricPython() { return "/usr/bin/python3"; }
        };
    }

    /** HAProxy adapter settings with a quick drain poll; AWS is unused. */
    public static LoadBalancers balancers() {
        return new LoadBalancers(new LoadBalancerConfig() {
            public Duration drainTimeout() { return Duration.ofSeconds(30); }
            public Duration drainPoll() { return Duration.ofMillis(100); }
            public Haproxy haproxy() {
                return new Haproxy() {
                    public Duration timeout() { return Duration.ofSeconds(5); }
                    public Optional<String> serverOptions() { return Optional.empty(); }
                };
            }
            public Aws aws() {
                return new Aws() {
                    public String region() { return "us-east-1"; }
                    public Optional<String> endpoint() { return Optional.empty(); }
                };
            }
        });
    }

    /** RFC 2136 updates to a test BIND on loopback for zone example.test, signed with {@link BindServer#KEY_NAME}. */
    public static DnsRegistrars dns(int port, String secret) {
        return new DnsRegistrars(new DnsConfig() {
            public String type() { return "rfc2136"; }
            public Optional<String> route53HostedZoneId() { return Optional.empty(); }
            public Optional<String> route53Endpoint() { return Optional.empty(); }
            public Optional<String> server() { return Optional.of("127.0.0.1"); }
            public int port() { return port; }
            public Optional<String> zone() { return Optional.of("example.test"); }
            public Optional<String> tsigKeyName() { return Optional.of(BindServer.KEY_NAME); }
            public String tsigAlgorithm() { return "hmac-sha256"; }
            public Optional<String> tsigSecret() { return Optional.of(secret); }
            public int ttl() { return 30; }
            public Duration timeout() { return Duration.ofSeconds(5); }
            public String namePattern() { return "{index}.{zone}.{base}"; }
        });
    }
}
