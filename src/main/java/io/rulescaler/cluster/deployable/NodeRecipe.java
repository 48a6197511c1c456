package io.rulescaler.cluster.deployable;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.rulescaler.cluster.ClusterSpec;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

/**
 * What a new node is built from on one profile (deployable, node template, chains, parameters),
 * reduced to a digest that each node keeps, so a later change of the recipe shows as "nodes differ
 * from spec" without touching the nodes.
 */
public final class NodeRecipe {

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
            .build();

    private NodeRecipe() {
    }

    /** The recipe's parts, as hashed. */
    record Parts(String deployable, String profile, ClusterSpec.NodeTemplate template, ClusterSpec.Chains chains,
                 Map<String, String> parameters) {
    }

    /** SHA-256 (hex) of the recipe of a node of the effective spec {@code spec} on {@code profile} (null: the cluster's provider). */
    public static String digest(ClusterSpec spec, String profile) {
        String p = spec.profileOr(profile);
        Parts parts = new Parts(spec.deployable(), p, spec.templateFor(p), spec.chains(), spec.parametersOrEmpty());
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(JSON.writeValueAsString(parts).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash);
        } catch (JsonProcessingException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("cannot digest the node recipe of cluster " + spec.name(), e);
        }
    }
}
