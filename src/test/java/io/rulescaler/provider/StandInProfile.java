package io.rulescaler.provider;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** A provider profile as configuration would give it, for tests that open jclouds providers against API stand-ins. */
record StandInProfile(String api, String identityValue, String credentialValue, String endpointValue, Map<String, String> jclouds)
        implements ComputeConfig.Profile {

    public Optional<String> identity() {
        return Optional.of(identityValue);
    }

    public Optional<String> credential() {
        return Optional.of(credentialValue);
    }

    public Optional<String> endpoint() {
        return Optional.of(endpointValue);
    }

    public Optional<String> hostsFile() {
        return Optional.empty();
    }

    public Duration callTimeout() {
        return Duration.ofSeconds(30);
    }

    public Duration faultDelay() {
        return Duration.ZERO;
    }

    public int faultFailFirst() {
        return 0;
    }

    public String faultKind() {
        return "capacity";
    }

    public Optional<String> faultAlwaysFail() {
        return Optional.empty();
    }

    public boolean faultListFails() {
        return false;
    }
}
