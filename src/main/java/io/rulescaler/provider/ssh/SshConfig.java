package io.rulescaler.provider.ssh;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** How the service reaches nodes over SSH. */
@ConfigMapping(prefix = "rulescaler.ssh")
public interface SshConfig {

    /** Login user when neither the node address ({@code user@host}) nor the cluster template names one. */
    @WithDefault("root")
    String user();

    /** SSH port when the node address has none. */
    @WithDefault("22")
    int port();

    /** Private key file (OpenSSH or PEM; RSA or ECDSA) used to log in; defaults to {@code ssh/id} under the data folder. */
    Optional<String> privateKey();

    /** Where host keys are recorded on first contact: {@code database} (table ssh_host_key, shared by all instances) or {@code file}. */
    @WithDefault("database")
    String hostKeyStore();

    /** known_hosts file used when host-key-store is {@code file}; relative to the data folder. */
    @WithDefault("ssh/known_hosts")
    String knownHosts();

    /** How long connecting and authenticating may take. */
    @WithDefault("15s")
    Duration connectTimeout();

    /** How long one remote command may run when the step sets no timeout. */
    @WithDefault("10m")
    Duration commandTimeout();

    /** Most SSH sessions open at once across all tasks of this instance. */
    @WithDefault("16")
    int maxSessions();
}
