package io.rulescaler.provider.ssh;

import java.nio.file.Path;
import java.time.Duration;

/** The settings an {@link SshConnector} is built from (read from {@link SshConfig}, or written by tests). */
public record SshSettings(
        String defaultUser,
        int defaultPort,
        Path privateKey,
        Path knownHosts,
        Duration connectTimeout,
        Duration commandTimeout,
        int maxSessions) {
}
