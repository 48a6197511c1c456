package io.rulescaler.cluster.deployable;

import io.rulescaler.cluster.ClusterSpec;
import io.rulescaler.cluster.ClusterSpec.NodeTemplate;
import io.rulescaler.error.InvalidInputException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The spec a cluster runs with: what it declares laid over its deployable type. The cluster's own
 * values win: its {@code profiles.<p>} over its {@code template} over the deployable's variant for
 * {@code p}; its parameters over the deployable's defaults; its chains over the deployable's.
 */
public final class EffectiveSpec {

    private EffectiveSpec() {
    }

    /** {@code declared} merged with {@code deployable} (null: none); a spec without either comes back as it is. */
    public static ClusterSpec merge(ClusterSpec declared, Deployable deployable) {
        if (deployable == null && declared.profiles() == null) {
            return declared;
        }
        Map<String, NodeTemplate> variants = deployable == null || deployable.profiles() == null ? Map.of() : deployable.profiles();
        Map<String, NodeTemplate> own = declared.profiles() == null ? Map.of() : declared.profiles();
        Map<String, NodeTemplate> profiles = new TreeMap<>();
        Set<String> names = new TreeSet<>(variants.keySet());
        names.addAll(own.keySet());
        for (String p : names) {
            profiles.put(p, overlay(own.get(p), overlay(declared.template(), variants.get(p))));
        }
        NodeTemplate template = profiles.getOrDefault(declared.provider(), declared.template());
        Map<String, String> parameters = declared.parameters();
        ClusterSpec.Chains chains = declared.chains();
        if (deployable != null) {
            Map<String, String> merged = new TreeMap<>(deployable.parametersOrEmpty());
            merged.putAll(declared.parametersOrEmpty());
            parameters = merged.isEmpty() ? declared.parameters() : merged;
            chains = overlay(declared.chains(), deployable.chains());
        }
        return new ClusterSpec(declared.name(), declared.description(), declared.provider(), template, declared.layout(),
                declared.size(), declared.guard(), declared.ruleSet(), chains, declared.loadBalancer(), declared.dnsBaseName(),
                declared.recipients(), declared.scaling(), declared.paused(), declared.dryRun(), declared.protectedNodes(),
                declared.health(), parameters, declared.deployable(), profiles);
    }

    /** Field by field: {@code high}'s value where it has one, else {@code low}'s; tags are merged ({@code high} wins). */
    public static NodeTemplate overlay(NodeTemplate high, NodeTemplate low) {
        if (high == null || low == null) {
            return high == null ? low : high;
        }
        Map<String, String> tags = null;
        if (high.tags() != null || low.tags() != null) {
            tags = new TreeMap<>(low.tags() == null ? Map.of() : low.tags());
            tags.putAll(high.tags() == null ? Map.of() : high.tags());
        }
        return new NodeTemplate(or(high.image(), low.image()), or(high.minCores(), low.minCores()),
                or(high.minRamMb(), low.minRamMb()), or(high.hardware(), low.hardware()), or(high.location(), low.location()),
                or(high.zones(), low.zones()), or(high.securityGroups(), low.securityGroups()),
                or(high.loginUser(), low.loginUser()), or(high.keyPair(), low.keyPair()), or(high.userData(), low.userData()), tags);
    }

    private static ClusterSpec.Chains overlay(ClusterSpec.Chains high, ClusterSpec.Chains low) {
        if (high == null || low == null) {
            return high == null ? low : high;
        }
        return new ClusterSpec.Chains(or(high.scaleOut(), low.scaleOut()), or(high.scaleIn(), low.scaleIn()),
                or(high.replace(), low.replace()), or(high.teardown(), low.teardown()));
    }

    private static <T> T or(T a, T b) {
        return a != null ? a : b;
    }

    /** The profiles a cluster puts nodes on: its provider, and each profile a {@code profile/zone} layout key names. */
    public static Set<String> profilesUsed(ClusterSpec spec) {
        Set<String> out = new LinkedHashSet<>();
        if (spec.provider() != null) {
            out.add(spec.provider());
        }
        if (spec.layout() != null) {
            spec.layout().forEach((key, weight) -> {
                int slash = key.indexOf('/');
                if (slash > 0 && weight != null && weight > 0) {
                    out.add(key.substring(0, slash));
                }
            });
        }
        return out;
    }

    /**
     * Refuses a cluster that places nodes on a profile its deployable has no variant for (and the
     * cluster gives none under {@code profiles}), naming the profile, the file and the variants there are.
     */
    public static void requireVariants(ClusterSpec declared, Deployable deployable, String file) {
        List<String> missing = new ArrayList<>();
        for (String p : profilesUsed(declared)) {
            boolean own = declared.profiles() != null && declared.profiles().containsKey(p);
            if (!own && (deployable.profiles() == null || !deployable.profiles().containsKey(p))) {
                missing.add(p);
            }
        }
        if (!missing.isEmpty()) {
            throw new InvalidInputException("Missing variant", "cluster '" + declared.name() + "' places nodes on profile(s) "
                    + missing + " but deployable '" + deployable.name() + "' (" + file + ") has variants only for "
                    + new TreeSet<>(deployable.profiles().keySet()) + "; add a variant there or give the cluster 'profiles: {"
                    + missing.get(0) + ": {...}}'", "deployable");
        }
    }
}
