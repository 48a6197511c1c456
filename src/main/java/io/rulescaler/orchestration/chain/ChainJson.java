package io.rulescaler.orchestration.chain;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.rulescaler.orchestration.operation.OperationEntity;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Stores chains and task outputs as JSON columns; caches parsed chains by operation. */
public final class ChainJson {

    private static final ObjectMapper JSON = JsonMapper.builder().findAndAddModules().build();
    private static final Map<Long, Chain> CACHE = new ConcurrentHashMap<>();

    private ChainJson() {
    }

    public static String write(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static Chain chainOf(OperationEntity op) {
        return CACHE.computeIfAbsent(op.id, id -> {
            try {
                return JSON.readValue(op.chainJson, Chain.class);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("operation " + id + " has an unreadable chain: " + e.getMessage(), e);
            }
        });
    }

    /** The chain of operation {@code id}: from the cache, else of the row {@code read} gives (a chain never changes). */
    public static Chain chainOf(long id, java.util.function.Supplier<OperationEntity> read) {
        Chain cached = CACHE.get(id);
        return cached != null ? cached : chainOf(read.get());
    }

    public static void forget(long operationId) {
        CACHE.remove(operationId);
    }

    public static Map<String, String> outputs(String json) {
        if (json == null || json.isBlank()) {
            return Map.of();
        }
        try {
            return JSON.readValue(json, new TypeReference<Map<String, String>>() { });
        } catch (JsonProcessingException e) {
            return Map.of();
        }
    }

    /** A chain run's parameters as the operation stores them; empty for none. */
    public static Map<String, String> parameters(String json) {
        return outputs(json);
    }
}
