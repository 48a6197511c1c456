package io.rulescaler.provider.ssh;

import io.rulescaler.boot.StorageConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.nio.file.Path;
import java.time.Clock;
import javax.sql.DataSource;

/** Builds the one {@link SshConnector} of this instance from {@link SshConfig}, with paths under the data folder. */
@ApplicationScoped
public class SshProducer {

    @Produces
    @Singleton
    SshConnector connector(SshConfig config, StorageConfig storage, DataSource dataSource, Clock clock) {
        Path data = Path.of(storage.dataDir());
        Path key = config.privateKey().map(Path::of).orElse(Path.of("ssh", "id"));
        SshSettings settings = new SshSettings(
                config.user(),
                config.port(),
                data.resolve(key),
                data.resolve(config.knownHosts()),
                config.connectTimeout(),
                config.commandTimeout(),
                config.maxSessions());
        HostKeyStore hostKeys = switch (config.hostKeyStore()) {
            case "database" -> new DatabaseHostKeyStore(dataSource, clock);
            case "file" -> new KnownHostsFile(settings.knownHosts());
            default -> throw new IllegalArgumentException("rulescaler.ssh.host-key-store must be database or file, was "
                    + config.hostKeyStore());
        };
        return new SshConnector(settings, hostKeys);
    }

    void close(@Disposes SshConnector connector) {
        connector.close();
    }
}
