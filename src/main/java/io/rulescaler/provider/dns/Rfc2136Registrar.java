package io.rulescaler.provider.dns;

import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;
import org.xbill.DNS.Update;
import org.xbill.DNS.Address;

/**
 * RFC 2136 dynamic updates (signed with TSIG when a key is set) through dnsjava, over TCP, to the zone's primary.
 * Each upsert deletes the name's A, AAAA and CNAME records and adds the new one in one atomic update.
 */
public final class Rfc2136Registrar implements DnsRegistrar {

    /** Where and how to send updates. */
    public record Settings(String server, int port, String zone, String tsigKeyName, String tsigAlgorithm,
            String tsigSecret, int ttl, Duration timeout) {
    }

    private final Settings settings;
    private final Name zone;

    public Rfc2136Registrar(Settings settings) {
        this.settings = settings;
        try {
            this.zone = Name.fromString(absolute(settings.zone()));
        } catch (TextParseException e) {
            throw new IllegalArgumentException("not a DNS zone name: " + settings.zone(), e);
        }
    }

    @Override
    public void upsert(String fqdn, String address) throws DnsException {
        Name name = name(fqdn);
        Update update = new Update(zone);
        update.delete(name, Type.A);
        update.delete(name, Type.AAAA);
        update.delete(name, Type.CNAME);
        try {
            if (Address.isDottedQuad(address)) {
                update.add(new ARecord(name, DClass.IN, settings.ttl(), InetAddress.getByName(address)));
            } else if (address.contains(":")) {
                update.add(new AAAARecord(name, DClass.IN, settings.ttl(), InetAddress.getByName(address)));
            } else {
                update.add(new CNAMERecord(name, DClass.IN, settings.ttl(), Name.fromString(absolute(address))));
            }
        } catch (IOException e) {
            throw new DnsException("not an address or host name: " + address, false, e);
        }
        send(update, "set " + fqdn + " -> " + address);
    }

    @Override
    public void remove(String fqdn) throws DnsException {
        Name name = name(fqdn);
        Update update = new Update(zone);
        update.delete(name, Type.A);
        update.delete(name, Type.AAAA);
        update.delete(name, Type.CNAME);
        send(update, "remove " + fqdn);
    }

    private void send(Update update, String what) throws DnsException {
        Message response;
        try {
            SimpleResolver resolver = new SimpleResolver(settings.server());
            resolver.setPort(settings.port());
            resolver.setTCP(true);
            resolver.setTimeout(settings.timeout());
            if (settings.tsigKeyName() != null && !settings.tsigKeyName().isBlank()) {
                resolver.setTSIGKey(new TSIG(algorithm(settings.tsigAlgorithm()),
                        settings.tsigKeyName(), settings.tsigSecret()));
            }
            response = resolver.send(update);
        } catch (IOException e) {
            throw new DnsException("DNS update (" + what + ") to " + settings.server() + ":" + settings.port()
                    + " failed: " + e.getMessage(), true, e);
        } catch (IllegalArgumentException e) {
            throw new DnsException("DNS update settings are invalid: " + e.getMessage(), false, e);
        }
        int rcode = response.getRcode();
        if (rcode != Rcode.NOERROR) {
            String tsig = response.getTSIG() == null ? "" : " (TSIG " + Rcode.TSIGstring(response.getTSIG().getError()) + ")";
            boolean retryable = rcode == Rcode.SERVFAIL;
            throw new DnsException("DNS server " + settings.server() + ":" + settings.port() + " refused update (" + what
                    + "): " + Rcode.string(rcode) + tsig, retryable, null);
        }
    }

    private Name name(String fqdn) throws DnsException {
        try {
            Name name = Name.fromString(absolute(fqdn));
            if (!name.subdomain(zone)) {
                throw new DnsException(fqdn + " is not inside zone " + zone, false, null);
            }
            return name;
        } catch (TextParseException e) {
            throw new DnsException("not a DNS name: " + fqdn, false, e);
        }
    }

    private static Name algorithm(String text) {
        return switch (text.toLowerCase()) {
            case "hmac-sha256" -> TSIG.HMAC_SHA256;
            case "hmac-sha512" -> TSIG.HMAC_SHA512;
            case "hmac-sha384" -> TSIG.HMAC_SHA384;
            case "hmac-sha1" -> TSIG.HMAC_SHA1;
            case "hmac-md5" -> TSIG.HMAC_MD5;
            default -> throw new IllegalArgumentException("unknown TSIG algorithm " + text);
        };
    }

    private static String absolute(String name) {
        return name.endsWith(".") ? name : name + ".";
    }
}
