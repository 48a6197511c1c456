package io.rulescaler.provider.dns;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.route53.Route53Client;
import software.amazon.awssdk.services.route53.model.Change;
import software.amazon.awssdk.services.route53.model.ChangeAction;
import software.amazon.awssdk.services.route53.model.ListResourceRecordSetsResponse;
import software.amazon.awssdk.services.route53.model.RRType;
import software.amazon.awssdk.services.route53.model.ResourceRecord;
import software.amazon.awssdk.services.route53.model.ResourceRecordSet;
import software.amazon.awssdk.services.route53.model.Route53Exception;

/**
 * Node names in an AWS Route 53 hosted zone: UPSERT of the A/AAAA/CNAME record, and on removal a DELETE of
 * exactly the record sets found for the name (Route 53 deletes only what matches, so it looks them up first).
 */
public final class Route53Registrar implements DnsRegistrar {

    private static final Set<RRType> MANAGED = Set.of(RRType.A, RRType.AAAA, RRType.CNAME);

    private final Route53Client client;
    private final String hostedZoneId;
    private final long ttl;

    public Route53Registrar(Route53Client client, String hostedZoneId, long ttl) {
        this.client = client;
        this.hostedZoneId = hostedZoneId;
        this.ttl = ttl;
    }

    @Override
    public void upsert(String fqdn, String address) throws DnsException {
        RRType type = address.matches("\\d+\\.\\d+\\.\\d+\\.\\d+") ? RRType.A : address.contains(":") ? RRType.AAAA : RRType.CNAME;
        ResourceRecordSet set = ResourceRecordSet.builder().name(absolute(fqdn)).type(type).ttl(ttl)
                .resourceRecords(ResourceRecord.builder().value(address).build()).build();
        change(List.of(Change.builder().action(ChangeAction.UPSERT).resourceRecordSet(set).build()), "set " + fqdn);
    }

    @Override
    public void remove(String fqdn) throws DnsException {
        String name = absolute(fqdn);
        ListResourceRecordSetsResponse listed = call(() -> client.listResourceRecordSets(r -> r.hostedZoneId(hostedZoneId)
                .startRecordName(name).maxItems("10")), "look up " + fqdn);
        List<Change> deletes = new ArrayList<>();
        for (ResourceRecordSet set : listed.resourceRecordSets()) {
            if (set.name().equalsIgnoreCase(name) && MANAGED.contains(set.type())) {
                deletes.add(Change.builder().action(ChangeAction.DELETE).resourceRecordSet(set).build());
            }
        }
        if (!deletes.isEmpty()) {
            change(deletes, "remove " + fqdn);
        }
    }

    private void change(List<Change> changes, String what) throws DnsException {
        call(() -> client.changeResourceRecordSets(r -> r.hostedZoneId(hostedZoneId)
                .changeBatch(b -> b.comment("rulescaler: " + what).changes(changes))), what);
    }

    private <T> T call(java.util.function.Supplier<T> request, String what) throws DnsException {
        try {
            return request.get();
        } catch (Route53Exception e) {
            String code = e.awsErrorDetails() == null ? "" : e.awsErrorDetails().errorCode();
            boolean retryable = e.statusCode() >= 500 || "Throttling".equals(code) || "PriorRequestNotComplete".equals(code);
            throw new DnsException("Route 53 " + what + " failed: " + code + " "
                    + (e.awsErrorDetails() == null ? e.getMessage() : e.awsErrorDetails().errorMessage()), retryable, e);
        } catch (SdkClientException e) {
            throw new DnsException("Route 53 " + what + " unreachable: " + e.getMessage(), true, e);
        } catch (SdkException e) {
            throw new DnsException("Route 53 " + what + " failed: " + e.getMessage(), false, e);
        }
    }

    private static String absolute(String name) {
        return name.endsWith(".") ? name : name + ".";
    }
}
