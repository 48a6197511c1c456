package io.rulescaler.cluster;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.rulescaler.error.InvalidInputException;
import io.rulescaler.error.JsonPaths;
import io.rulescaler.format.SafeYaml;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import java.util.Comparator;
import java.util.Set;

/**
 * Reads a cluster spec from JSON or YAML, strictly: unknown fields, wrong types and invalid
 * values are errors that name the source (file or request) and the field.
 */
@ApplicationScoped
public class ClusterSpecParser {

    static final ObjectMapper JSON = JsonMapper.builder()
            .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(com.fasterxml.jackson.databind.MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .build();
    static final ObjectMapper YAML = YAMLMapper.builder(SafeYaml.factory())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .build();

    private final Validator validator;

    public ClusterSpecParser(Validator validator) {
        this.validator = validator;
    }

    /** Parses and validates JSON (yaml=false) or YAML content; {@code source} names it in errors. */
    public ClusterSpec parse(String content, boolean yaml, String source) {
        return parse(content, yaml, source, null);
    }

    /**
     * Parses and validates a spec; when it names no cluster, {@code defaultName} (the path or the
     * file name) is used. For requests, a different name in the body than in the path is an error.
     */
    public ClusterSpec parse(String content, boolean yaml, String source, String defaultName) {
        ClusterSpec spec = read(content, yaml, source);
        if (defaultName != null && spec.name() == null) {
            spec = spec.withName(defaultName);
        }
        if (defaultName != null && source.startsWith("request")) {
            if (spec.name() != null && !spec.name().equals(defaultName)) {
                throw new InvalidInputException("Invalid value", source + ": the content names cluster '" + spec.name()
                        + "' but the path names '" + defaultName + "'", "name");
            }
        }
        validate(spec, source);
        return spec;
    }

    private ClusterSpec read(String content, boolean yaml, String source) {
        return readStrict(content, yaml, source, ClusterSpec.class, "cluster spec");
    }

    /**
     * Reads {@code content} as {@code type} with the cluster spec's strictness (unknown fields, wrong
     * types, duplicate keys and aliases are errors naming {@code source}, line and field); shared with
     * other files of the same family (deployable types). {@code what} names the document in messages.
     */
    public static <T> T readStrict(String content, boolean yaml, String source, Class<T> type, String what) {
        if (content == null || content.isBlank()) {
            throw new InvalidInputException(source + ": the body is empty; send a " + what, null);
        }
        T spec;
        try {
            if (yaml && isEmptyYaml(content)) {
                throw new InvalidInputException(source + ": the body is empty; send a " + what, null);
            }
            int alias = yaml ? SafeYaml.firstAliasLine(content) : -1;
            if (alias > 0) {
                throw new InvalidInputException("Invalid value", source + ":" + alias
                        + ": YAML aliases (*name) are not supported in " + what + "s; write the value out", null);
            }
            spec = (yaml ? YAML : JSON).readValue(content, type);
        } catch (UnrecognizedPropertyException e) {
            String field = JsonPaths.of(e);
            throw new InvalidInputException("Unknown field",
                    source + lineOf(content, e.getPropertyName(), e.getLocation()) + ": unknown field '" + field + "' (known here: " + e.getKnownPropertyIds() + ")",
                    field);
        } catch (JsonMappingException e) {
            String field = JsonPaths.of(e);
            throw new InvalidInputException("Invalid value",
                    source + at(e.getLocation()) + ": " + (field.isEmpty() ? "" : "field '" + field + "': ")
                            + firstLine(e.getOriginalMessage()), field.isEmpty() ? null : field);
        } catch (JsonProcessingException e) {
            throw new InvalidInputException(yaml ? "Malformed YAML" : "Malformed JSON",
                    source + at(e.getLocation()) + ": not valid " + (yaml ? "YAML" : "JSON") + ": "
                            + JsonPaths.withoutSource(firstLine(e.getOriginalMessage())), null);
        }
        if (spec == null) {
            throw new InvalidInputException(source + ": the body is empty; send a " + what, null);
        }
        return spec;
    }

    /** A YAML body of nothing but comments, blanks and document markers. */
    private static boolean isEmptyYaml(String content) {
        return content.lines().map(String::strip).allMatch(l -> l.isEmpty() || l.startsWith("#") || l.equals("---") || l.equals("..."));
    }

    /** Checks the spec's constraints; the first invalid field (alphabetically) is named. */
    public void validate(ClusterSpec spec, String source) {
        Set<ConstraintViolation<ClusterSpec>> violations = validator.validate(spec);
        if (!violations.isEmpty()) {
            ConstraintViolation<ClusterSpec> first = violations.stream()
                    .min(Comparator.comparing((ConstraintViolation<ClusterSpec> v) -> isWholeObjectCheck(v) ? 1 : 0)
                            .thenComparing(v -> v.getPropertyPath().toString()))
                    .orElseThrow();
            String field = fieldOf(first);
            String more = violations.size() > 1 ? " (and " + (violations.size() - 1) + " more)" : "";
            throw new InvalidInputException("Invalid value",
                    source + ": field '" + field + "' " + first.getMessage() + more, field);
        }
    }

    /** Class-level checks (min ≤ max) are reported on the object they check, after plain field errors. */
    private static boolean isWholeObjectCheck(ConstraintViolation<?> v) {
        return v.getConstraintDescriptor().getAnnotation() instanceof jakarta.validation.constraints.AssertTrue;
    }

    /** The dotted field a constraint violation is about (map keys and list elements folded into their field). */
    public static String fieldOf(ConstraintViolation<?> v) {
        String path = v.getPropertyPath().toString()
                .replace(".<map value>", "").replace("<map key>", "").replace(".<list element>", "");
        if (isWholeObjectCheck(v) && path.contains(".")) {
            path = path.substring(0, path.lastIndexOf('.'));
        }
        return path;
    }

    /** YAML parsers report the position after an unknown key; find the key's own line instead. */
    /** ":line:column" of the first line that sets {@code key}, else of {@code fallback} (null: ""). */
    public static String lineOf(String content, String key, JsonLocation fallback) {
        if (key != null) {
            java.util.regex.Pattern p = java.util.regex.Pattern.compile("(^|[\\s{,\"])" + java.util.regex.Pattern.quote(key) + "\"?\\s*:");
            String[] lines = content.split("\n", -1);
            for (int i = 0; i < lines.length; i++) {
                java.util.regex.Matcher m = p.matcher(lines[i]);
                if (m.find()) {
                    return ":" + (i + 1) + ":" + (m.start() + (m.group(1).isEmpty() ? 1 : 2));
                }
            }
        }
        return at(fallback);
    }

    static String toJson(ClusterSpec spec) {
        try {
            return JSON.writeValueAsString(spec);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A spec as stored with its cluster (already validated when it was written). */
    public static ClusterSpec fromJson(String json) {
        try {
            return JSON.readValue(json, ClusterSpec.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored cluster spec is unreadable: " + e.getOriginalMessage(), e);
        }
    }

    /** The top-level spec fields that decide what runs on a node; a change to one bumps the cluster's spec version. */
    static final java.util.List<String> NODE_FIELDS = java.util.List.of("parameters", "deployable");

    /** Whether what nodes run differs between two specs (parameters, deployable). */
    static boolean nodesRunDifferently(ClusterSpec before, ClusterSpec after) {
        com.fasterxml.jackson.databind.JsonNode a = JSON.valueToTree(before);
        com.fasterxml.jackson.databind.JsonNode b = JSON.valueToTree(after);
        return NODE_FIELDS.stream().anyMatch(f -> !java.util.Objects.equals(a.get(f), b.get(f)));
    }

    /** Whether this build's spec has a top-level field of that name (e.g. {@code deployable}). */
    public static boolean hasField(String name) {
        return java.util.Arrays.stream(ClusterSpec.class.getRecordComponents()).anyMatch(c -> c.getName().equals(name));
    }

    /**
     * The spec with some top-level fields replaced (a null value removes the field), read back as
     * strictly as a stored spec; lets a caller set a field whatever else the spec holds.
     */
    public static ClusterSpec withFields(ClusterSpec spec, java.util.Map<String, ?> fields) {
        com.fasterxml.jackson.databind.node.ObjectNode tree = JSON.valueToTree(spec);
        fields.forEach((k, v) -> {
            if (v == null) {
                tree.remove(k);
            } else {
                tree.set(k, JSON.valueToTree(v));
            }
        });
        try {
            return JSON.treeToValue(tree, ClusterSpec.class);
        } catch (JsonProcessingException e) {
            throw new InvalidInputException("Invalid value", "the changed spec is not valid: " + firstLine(e.getOriginalMessage()),
                    null);
        }
    }

    private static String at(JsonLocation loc) {
        return loc == null || loc.getLineNr() < 0 ? "" : ":" + loc.getLineNr() + ":" + loc.getColumnNr();
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unreadable";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
