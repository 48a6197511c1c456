package io.rulescaler.provider;

import com.google.common.collect.ImmutableSet;
import io.rulescaler.cluster.ClusterSpec;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jclouds.compute.ComputeService;
import org.jclouds.compute.ComputeServiceContext;
import org.jclouds.compute.domain.ComputeMetadata;
import org.jclouds.compute.domain.NodeMetadata;
import org.jclouds.compute.domain.Template;
import org.jclouds.compute.domain.TemplateBuilder;
import org.jclouds.compute.options.TemplateOptions;
import org.jclouds.domain.Location;
import org.jclouds.domain.LocationScope;
import org.jclouds.ec2.compute.options.EC2TemplateOptions;
import org.jclouds.openstack.nova.v2_0.compute.options.NovaTemplateOptions;

/**
 * A provider profile backed by a jclouds {@link ComputeService}; the stub api also journals its
 * machines and keeps an index by tag, so finding a node's machine does not list all of them.
 */
final class JcloudsComputeProvider implements ComputeProvider {

    private final String profile;
    private final ComputeServiceContext context;
    private final ComputeService compute;
    private final StubJournal journal;
    /** Stub only: "key=value" of every tag to the ids of the machines carrying it (all machines go through here). */
    private final Map<String, Set<String>> stubTagIndex = new ConcurrentHashMap<>();

    JcloudsComputeProvider(String profile, ComputeServiceContext context, StubJournal journal) {
        this.profile = profile;
        this.context = context;
        this.compute = context.getComputeService();
        this.journal = journal;
        if (journal != null) {
            for (ComputeMetadata cm : compute.listNodesDetailsMatching(x -> true)) { // the machines the journal restored
                index((NodeMetadata) cm);
            }
        }
    }

    @Override
    public String profile() {
        return profile;
    }

    ComputeServiceContext context() {
        return context;
    }

    @Override
    public Machine create(String group, String name, String zone, ClusterSpec.NodeTemplate template, Map<String, String> tags)
            throws ProviderException {
        try {
            TemplateBuilder tb = compute.templateBuilder();
            if (template != null) {
                if (journal == null && template.image() != null) {
                    if (template.image().contains("/") || template.image().startsWith("ami-")) {
                        tb.imageId(template.image());
                    } else {
                        tb.imageNameMatches(template.image());
                    }
                }
                if (template.hardware() != null && journal == null) {
                    tb.hardwareId(template.hardware());
                }
                if (template.minCores() != null) {
                    tb.minCores(template.minCores());
                }
                if (template.minRamMb() != null) {
                    tb.minRam(template.minRamMb());
                }
                String location = zone != null && journal == null ? zone : template.location();
                if (location != null && journal == null) {
                    tb.locationId(location);
                }
            }
            Template t = tb.build();
            t.getOptions().nodeNames(List.of(name)).userMetadata(tags).tags(ImmutableSet.of("rulescaler"));
            if (template != null) {
                if (template.securityGroups() != null && !template.securityGroups().isEmpty() && journal == null) {
                    t.getOptions().securityGroups(template.securityGroups());
                }
                if (template.loginUser() != null) {
                    t.getOptions().overrideLoginUser(template.loginUser());
                }
                if (journal == null) {
                    applyAccess(t.getOptions(), template);
                }
            }
            Set<? extends NodeMetadata> created = compute.createNodesInGroup(group, 1, t);
            NodeMetadata n = created.iterator().next();
            if (journal != null) {
                journal.created(n, zone);
                index(n);
            }
            return machine(n, zone);
        } catch (RuntimeException | org.jclouds.compute.RunNodesException e) {
            throw ProviderErrors.translate(profile, "create machine " + name, e);
        }
    }

    /**
     * Key pair and user data go through the provider's own template options: EC2 and Nova take
     * them natively (user data must not become a tag, EC2 tags hold 256 characters).
     */
    private static void applyAccess(TemplateOptions options, ClusterSpec.NodeTemplate template) {
        byte[] userData = template.userData() == null ? null : template.userData().getBytes(StandardCharsets.UTF_8);
        if (options instanceof EC2TemplateOptions ec2) {
            if (template.keyPair() != null) {
                ec2.keyPair(template.keyPair());
            }
            if (userData != null) {
                ec2.userData(userData);
            }
        } else if (options instanceof NovaTemplateOptions nova) {
            if (template.keyPair() != null) {
                nova.keyPairName(template.keyPair());
            }
            if (userData != null) {
                nova.userData(userData);
            }
        }
    }

    @Override
    public Optional<Machine> findByTag(String key, String value) throws ProviderException {
        if (journal == null) {
            return list().stream().filter(m -> value.equals(m.tags().get(key))).findFirst();
        }
        try {
            for (String id : stubTagIndex.getOrDefault(key + "=" + value, Set.of())) {
                NodeMetadata n = compute.getNodeMetadata(id);
                if (n != null && n.getStatus() != NodeMetadata.Status.TERMINATED && value.equals(n.getUserMetadata().get(key))) {
                    return Optional.of(machine(n, n.getUserMetadata().get(StubJournal.ZONE_KEY)));
                }
            }
            return Optional.empty();
        } catch (RuntimeException e) {
            throw ProviderErrors.translate(profile, "find machine by tag " + key, e);
        }
    }

    private void index(NodeMetadata n) {
        n.getUserMetadata().forEach((k, v) -> stubTagIndex.computeIfAbsent(k + "=" + v, x -> ConcurrentHashMap.newKeySet()).add(n.getId()));
    }

    @Override
    public void destroy(String providerId) throws ProviderException {
        try {
            NodeMetadata n = compute.getNodeMetadata(providerId);
            if (n != null && n.getStatus() != NodeMetadata.Status.TERMINATED) {
                compute.destroyNode(providerId);
            }
            if (journal != null) {
                journal.destroyed(providerId);
                if (n != null) {
                    n.getUserMetadata().forEach((k, v) -> stubTagIndex.getOrDefault(k + "=" + v, Set.of()).remove(providerId));
                }
            }
        } catch (RuntimeException e) {
            throw ProviderErrors.translate(profile, "destroy machine " + providerId, e);
        }
    }

    @Override
    public List<Machine> list() throws ProviderException {
        try {
            List<Machine> out = new ArrayList<>();
            for (ComputeMetadata cm : compute.listNodesDetailsMatching(x -> true)) {
                NodeMetadata n = (NodeMetadata) cm;
                if (n.getStatus() != NodeMetadata.Status.TERMINATED) {
                    out.add(machine(n, n.getUserMetadata().get(StubJournal.ZONE_KEY)));
                }
            }
            return out;
        } catch (RuntimeException e) {
            throw ProviderErrors.translate(profile, "list machines", e);
        }
    }

    /** The zone a machine runs in: its location's zone, else its region (Nova without zones puts hosts under regions). */
    private static String zoneOf(Location location) {
        for (Location l = location; l != null; l = l.getParent()) {
            if (l.getScope() == LocationScope.ZONE) {
                return l.getId();
            }
        }
        for (Location l = location; l != null; l = l.getParent()) {
            if (l.getScope() == LocationScope.REGION) {
                return l.getId();
            }
        }
        return location == null ? null : location.getId();
    }

    private static Machine machine(NodeMetadata n, String zone) {
        String address = n.getPrivateAddresses().isEmpty()
                ? (n.getPublicAddresses().isEmpty() ? null : n.getPublicAddresses().iterator().next())
                : n.getPrivateAddresses().iterator().next();
        if (zone == null) {
            zone = zoneOf(n.getLocation());
        }
        return new Machine(n.getId(), n.getName(), n.getGroup(), zone, address, n.getStatus().name(), Map.copyOf(n.getUserMetadata()));
    }
}
