package io.rulescaler.security;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** How the first admin token comes to be, and how long an authenticated token is remembered. */
@ConfigMapping(prefix = "rulescaler.security")
public interface SecurityConfig {

    /** Token used for the first admin instead of a random one (tests, scripted installs); empty in production. */
    Optional<String> initialAdminToken();

    /** File, relative to the data folder, that the first admin token is written to with mode 0600. */
    @WithDefault("admin-token")
    String adminTokenFile();

    /**
     * How long a token that authenticated is remembered without reading the database again; a token
     * revoked on another instance stops working there within this time (0 = read every request).
     */
    @WithDefault("1s")
    Duration tokenCacheTtl();
}
