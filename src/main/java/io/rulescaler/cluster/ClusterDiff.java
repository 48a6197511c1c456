package io.rulescaler.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.TreeSet;

/** Lists what differs between two specs, field by field, so an apply can say what it changed. */
public final class ClusterDiff {

    private ClusterDiff() {
    }

    /** Changes from {@code before} to {@code after}, as "path: old -> new"; empty when equal. */
    public static List<String> between(ClusterSpec before, ClusterSpec after) {
        JsonNode a = before == null ? ClusterSpecParser.JSON.createObjectNode() : ClusterSpecParser.JSON.valueToTree(before);
        JsonNode b = ClusterSpecParser.JSON.valueToTree(after);
        List<String> out = new ArrayList<>();
        walk("", a, b, out);
        return out;
    }

    /** Changes between any two values of the same shape (a deployable type before and after a reload), as "path: old -> new". */
    public static List<String> betweenValues(Object before, Object after) {
        List<String> out = new ArrayList<>();
        walk("", before == null ? ClusterSpecParser.JSON.createObjectNode() : ClusterSpecParser.JSON.valueToTree(before),
                ClusterSpecParser.JSON.valueToTree(after), out);
        return out;
    }

    /**
     * {@code declaredChanges} followed by what else changed in the effective spec (values a
     * deployable type brings), each as "effective path: old -> new"; nothing more when both agree.
     */
    public static List<String> withEffective(List<String> declaredChanges, ClusterSpec beforeEffective, ClusterSpec afterEffective) {
        List<String> out = new ArrayList<>(declaredChanges);
        java.util.Set<String> seen = new java.util.HashSet<>();
        declaredChanges.forEach(c -> seen.add(c.substring(0, Math.max(0, c.indexOf(": ")))));
        for (String c : between(beforeEffective, afterEffective)) {
            String path = c.substring(0, Math.max(0, c.indexOf(": ")));
            if (!seen.contains(path)) {
                out.add("effective " + c);
            }
        }
        return out;
    }

    private static void walk(String path, JsonNode a, JsonNode b, List<String> out) {
        a = a == null ? NullNode.instance : a;
        b = b == null ? NullNode.instance : b;
        if (a.equals(b)) {
            return;
        }
        if (a.isObject() && b.isObject()) {
            TreeSet<String> keys = new TreeSet<>();
            a.fieldNames().forEachRemaining(keys::add);
            for (Iterator<String> it = b.fieldNames(); it.hasNext(); ) {
                keys.add(it.next());
            }
            for (String k : keys) {
                walk(path.isEmpty() ? k : path + "." + k, a.get(k), b.get(k), out);
            }
            return;
        }
        out.add(path + ": " + render(a) + " -> " + render(b));
    }

    private static String render(JsonNode n) {
        if (n.isNull() || n.isMissingNode()) {
            return "(unset)";
        }
        String s = n.isTextual() ? n.asText() : n.toString();
        return s.length() > 80 ? s.substring(0, 77) + "..." : s;
    }
}
