package io.rulescaler.security;

import io.quarkus.runtime.StartupEvent;
import io.rulescaler.boot.StorageConfig;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import org.jboss.logging.Logger;

/**
 * Makes sure nothing runs open: when no token exists, issues an admin token, prints it once and
 * writes it to a 0600 file under the data folder.
 */
@ApplicationScoped
public class AdminTokenBootstrap {

    private static final Logger LOG = Logger.getLogger(AdminTokenBootstrap.class);
    private final TokenService tokens;
    private final SecurityConfig config;
    private final StorageConfig storage;

    public AdminTokenBootstrap(TokenService tokens, SecurityConfig config, StorageConfig storage) {
        this.tokens = tokens;
        this.config = config;
        this.storage = storage;
    }

    void onStart(@Observes @Priority(10) StartupEvent event) {
        if (tokens.anyExist()) {
            return;
        }
        String secret = config.initialAdminToken().filter(s -> !s.isBlank()).orElseGet(TokenService::newSecret);
        try {
            tokens.issue("admin", Roles.ADMIN, secret);
        } catch (RuntimeException raced) {
            if (!tokens.anyExist()) {
                throw raced;
            }
            // instances started together (the same initial token, or a Galera certification conflict): one issued it
            LOG.infof("the first admin token was issued by another instance starting at the same time (%s); none issued here",
                    raced.getClass().getSimpleName());
            return;
        }
        Path file = Path.of(storage.dataDir()).resolve(config.adminTokenFile()).toAbsolutePath();
        try {
            Files.createDirectories(file.getParent());
            Files.deleteIfExists(file);
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, secret + "\n", StandardOpenOption.TRUNCATE_EXISTING);
        } catch (IOException | UnsupportedOperationException e) {
            LOG.warnf("could not write the admin token file %s: %s", file, e.getMessage());
        }
        LOG.infof("%n=====================================================================%n"
                + " First start: an admin token was created. It is shown only this once%n"
                + " and saved in %s (mode 0600):%n%n   %s%n%n"
                + " Use it as: curl -H 'Authorization: Bearer <token>' ...%n"
                + "=====================================================================", file, secret);
    }

}
