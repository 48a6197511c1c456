package io.rulescaler.provider.ssh;

import java.util.Objects;

/** Where one SSH command goes: a host, its SSH port and the login user; parsed from a node's address. */
public record SshTarget(String host, int port, String user) {

    public SshTarget {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(user, "user");
        if (host.isBlank()) {
            throw new IllegalArgumentException("host must not be blank");
        }
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("port must lie between 1 and 65535, was " + port);
        }
    }

    /**
     * Reads {@code host}, {@code host:port}, {@code [v6]:port} or {@code user@host:port}; a missing user
     * or port takes the given defaults.
     */
    public static SshTarget parse(String address, String defaultUser, int defaultPort) {
        if (address == null || address.isBlank()) {
            throw new IllegalArgumentException("node has no address to connect to");
        }
        String rest = address.trim();
        String user = defaultUser;
        int at = rest.lastIndexOf('@');
        if (at >= 0) {
            user = rest.substring(0, at);
            rest = rest.substring(at + 1);
        }
        String host = rest;
        int port = defaultPort;
        if (rest.startsWith("[")) {
            int close = rest.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("unclosed '[' in address " + address);
            }
            host = rest.substring(1, close);
            if (rest.length() > close + 1 && rest.charAt(close + 1) == ':') {
                port = parsePort(rest.substring(close + 2), address);
            }
        } else if (rest.indexOf(':') >= 0 && rest.indexOf(':') == rest.lastIndexOf(':')) {
            int colon = rest.indexOf(':');
            host = rest.substring(0, colon);
            port = parsePort(rest.substring(colon + 1), address);
        }
        return new SshTarget(host, port, user);
    }

    private static int parsePort(String text, String address) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad port in address " + address);
        }
    }

    /** The name used in known_hosts files: {@code host} on port 22, {@code [host]:port} otherwise. */
    public String knownHostsName() {
        return port == 22 ? host : "[" + host + "]:" + port;
    }

    /** The host without user or port, e.g. for a load balancer or DNS record. */
    @Override
    public String toString() {
        return user + "@" + knownHostsName();
    }
}
