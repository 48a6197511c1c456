package io.rulescaler.boot;

import jakarta.enterprise.context.ApplicationScoped;
import java.net.InetAddress;
import java.util.UUID;

/**
 * This instance's name in lease rows (task leases and rule-session leases alike):
 * {@code rulescaler.orchestration.instance-id}, or the host name plus a random suffix per start
 * (e.g. {@code vm-3f9c2a1b}), so a restarted instance never mistakes an old lease for its own.
 */
@ApplicationScoped
public class InstanceId {

    private final String value;

    public InstanceId(InstanceConfig config) {
        this.value = config.instanceId().filter(s -> !s.isBlank()).orElseGet(InstanceId::generated);
    }

    public String value() {
        return value;
    }

    @Override
    public String toString() {
        return value;
    }

    private static String generated() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            host = "instance";
        }
        return host + "-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
