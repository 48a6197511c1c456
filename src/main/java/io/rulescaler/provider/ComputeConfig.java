package io.rulescaler.provider;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Compute provider profiles a cluster's {@code provider} field names, e.g.
 * {@code rulescaler.compute.profiles.aws-prod.api=aws-ec2}. The profile {@code stub} exists by default.
 */
@ConfigMapping(prefix = "rulescaler.compute")
public interface ComputeConfig {

    /** Profiles by name; {@code stub} needs no entry. */
    Map<String, Profile> profiles();

    /** One provider account. */
    interface Profile {

        /** jclouds provider or api id: {@code stub}, {@code aws-ec2}, {@code openstack-nova}, {@code byon}. */
        @WithDefault("stub")
        String api();

        /** Account identity (access key, tenant:user); for {@code stub} any name, which keeps its machines apart. */
        Optional<String> identity();

        /** Account secret. */
        Optional<String> credential();

        /** API endpoint when the provider needs one (OpenStack Keystone URL, BYON hosts file URL). */
        Optional<String> endpoint();

        /** Extra jclouds properties passed to the context as they are, e.g. {@code jclouds."jclouds.regions"=eu-west-1}. */
        Map<String, String> jclouds();

        /**
         * {@code byon} only: a YAML list of existing hosts {@code {host, port, user, zone}} this profile
         * allocates from (read on every create, so hosts can be added while the service runs).
         */
        Optional<String> hostsFile();

        /** How long one create or destroy may take before the task fails as timed out. */
        @WithDefault("10m")
        Duration callTimeout();

        /** Test-only fault injection (stub api only): wait this long inside every create and destroy. */
        @WithDefault("0s")
        Duration faultDelay();

        /** Test-only fault injection (stub api only): the first N create calls for a node fail. */
        @WithDefault("0")
        int faultFailFirst();

        /** Test-only fault injection: kind of failure thrown (quota, auth, capacity, timeout). */
        @WithDefault("capacity")
        String faultKind();

        /** Test-only fault injection: node names (regex) whose creation always fails. */
        Optional<String> faultAlwaysFail();

        /** Test-only fault injection: listing the profile's machines fails (provider unreachable), finding by tag works. */
        @WithDefault("false")
        boolean faultListFails();
    }
}
