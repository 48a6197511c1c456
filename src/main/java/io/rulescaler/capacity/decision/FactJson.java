package io.rulescaler.capacity.decision;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.util.List;
import java.util.Map;

/** Writes the facts a decision matched as JSON values ({@code {"facts":[{"type":…,"value":…}],"bindings":{…}}}). */
public final class FactJson {

    /** Longest facts document stored per decision; bigger matches are cut with a marker. */
    static final int MAX_CHARS = 64 * 1024;
    public static final ObjectMapper MAPPER = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

    private FactJson() {
    }

    public static String of(List<Object> facts, Map<String, Object> bindings) {
        ObjectNode root = MAPPER.createObjectNode();
        ArrayNode arr = root.putArray("facts");
        for (Object f : facts) {
            ObjectNode n = arr.addObject();
            n.put("type", f.getClass().getSimpleName());
            try {
                n.set("value", MAPPER.valueToTree(f));
            } catch (IllegalArgumentException e) {
                n.put("value", String.valueOf(f));
            }
        }
        root.set("bindings", MAPPER.valueToTree(bindings));
        return cap(root.toString());
    }

    public static String manual(Integer target, Integer delta, String by) {
        ObjectNode root = MAPPER.createObjectNode();
        ObjectNode m = root.putObject("manual");
        m.put("target", target);
        m.put("delta", delta);
        m.put("by", by);
        return root.toString();
    }

    private static String cap(String json) {
        if (json.length() <= MAX_CHARS) {
            return json;
        }
        ObjectNode cut = MAPPER.createObjectNode();
        cut.put("truncated", true);
        cut.put("prefix", json.substring(0, MAX_CHARS - 200));
        return cut.toString();
    }
}
