package io.rulescaler.orchestration.redeploy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.rulescaler.cluster.ClusterSpec;
import io.rulescaler.error.InvalidInputException;
import io.rulescaler.error.JsonPaths;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The body of {@code POST /api/v1/clusters/{name}/redeploy}, read strictly (an unknown field is a
 * 400 naming it) and checked on its own; what needs the cluster is checked by {@link RedeployService}.
 */
public record RedeployInput(Map<String, String> parameters, JsonNode deployable, String strategy, Integer batchSize,
                            Integer batchPercent, Integer maxUnavailable, Integer healthGateSeconds, String onFailure,
                            String reason) {

    public static final String IN_PLACE = "in-place";
    public static final String REPLACE = "replace";
    public static final String ROLLBACK = "rollback";
    public static final String PAUSE = "pause";
    static final int DEFAULT_GATE_SECONDS = 120;

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .disable(com.fasterxml.jackson.databind.MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .build();

    /** Reads and checks a body; an empty body means "redeploy the current spec, one node at a time". */
    public static RedeployInput parse(String body) {
        RedeployInput in;
        if (body == null || body.isBlank()) {
            in = new RedeployInput(null, null, null, null, null, null, null, null, null);
        } else {
            try {
                in = JSON.readValue(body, RedeployInput.class);
            } catch (UnrecognizedPropertyException e) {
                throw new InvalidInputException("Unknown field", "unknown field '" + JsonPaths.of(e) + "' (known: parameters, "
                        + "deployable, strategy, batchSize, batchPercent, maxUnavailable, healthGateSeconds, onFailure, reason)",
                        JsonPaths.of(e));
            } catch (com.fasterxml.jackson.databind.JsonMappingException e) {
                String field = JsonPaths.of(e);
                throw new InvalidInputException("Invalid value", (field.isEmpty() ? "" : "field '" + field + "': ")
                        + JsonPaths.withoutSource(firstLine(e.getOriginalMessage())), field.isEmpty() ? null : field);
            } catch (JsonProcessingException e) {
                throw new InvalidInputException("Malformed JSON", "not valid JSON: "
                        + JsonPaths.withoutSource(firstLine(e.getOriginalMessage())), null);
            }
        }
        return in.checked();
    }

    private RedeployInput checked() {
        String s = strategy == null ? IN_PLACE : strategy;
        if (!IN_PLACE.equals(s) && !REPLACE.equals(s)) {
            throw new InvalidInputException("strategy '" + strategy + "' is not one of in-place, replace", "strategy");
        }
        if (batchSize != null && batchPercent != null) {
            throw new InvalidInputException("give batchSize or batchPercent, not both", "batchSize");
        }
        if (batchSize != null && (batchSize < 1 || batchSize > 10_000)) {
            throw new InvalidInputException("batchSize must be from 1 to 10000 nodes, was " + batchSize, "batchSize");
        }
        if (batchPercent != null && (batchPercent < 1 || batchPercent > 100)) {
            throw new InvalidInputException("batchPercent must be from 1 to 100, was " + batchPercent, "batchPercent");
        }
        if (maxUnavailable != null && (maxUnavailable < 1 || maxUnavailable > 10_000)) {
            throw new InvalidInputException("maxUnavailable must be from 1 to 10000 nodes, was " + maxUnavailable, "maxUnavailable");
        }
        if (healthGateSeconds != null && (healthGateSeconds < 1 || healthGateSeconds > 3600)) {
            throw new InvalidInputException("healthGateSeconds must be from 1 to 3600, was " + healthGateSeconds, "healthGateSeconds");
        }
        String f = onFailure == null ? ROLLBACK : onFailure;
        if (!ROLLBACK.equals(f) && !PAUSE.equals(f)) {
            throw new InvalidInputException("onFailure '" + onFailure + "' is not one of rollback, pause", "onFailure");
        }
        if (reason != null && reason.length() > 1000) {
            throw new InvalidInputException("reason must be at most 1000 characters", "reason");
        }
        Map<String, String> params = parameters == null ? Map.of() : parameters;
        if (params.size() > 64) {
            throw new InvalidInputException("at most 64 parameters at once", "parameters");
        }
        for (Map.Entry<String, String> e : params.entrySet()) {
            if (!e.getKey().matches(ClusterSpec.PARAMETER_PATTERN)) {
                throw new InvalidInputException("parameter name '" + e.getKey() + "' must be 1-128 letters, digits, '.', '_' "
                        + "or '-', starting with a letter", "parameters." + e.getKey());
            }
            if (e.getValue() == null || e.getValue().length() > 16_384) {
                throw new InvalidInputException("parameter '" + e.getKey() + "' needs a value of at most 16384 characters",
                        "parameters." + e.getKey());
            }
        }
        return new RedeployInput(new LinkedHashMap<>(params), deployable == null || deployable.isNull() ? null : deployable, s,
                batchSize, batchPercent, maxUnavailable, healthGateSeconds, f, reason);
    }

    /** Nodes per batch for {@code nodes} nodes: batchSize, else batchPercent of them (at least 1), else 1. */
    int batchFor(int nodes) {
        int size = batchSize != null ? batchSize : batchPercent != null ? Math.max(1, nodes * batchPercent / 100) : 1;
        return Math.max(1, Math.min(size, Math.max(1, nodes)));
    }

    int gateSeconds() {
        return healthGateSeconds == null ? DEFAULT_GATE_SECONDS : healthGateSeconds;
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unreadable";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
