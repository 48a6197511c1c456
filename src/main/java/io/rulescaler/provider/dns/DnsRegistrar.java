package io.rulescaler.provider.dns;

/** Keeps one DNS name per node; idempotent: setting a name replaces its records, removing an absent one succeeds. */
public interface DnsRegistrar {

    /** Points {@code fqdn} at {@code address} (A for IPv4, AAAA for IPv6, CNAME for a host name), replacing what was there. */
    void upsert(String fqdn, String address) throws DnsException;

    /** Removes the A, AAAA and CNAME records of {@code fqdn}. */
    void remove(String fqdn) throws DnsException;
}
