package io.rulescaler.cluster.deployable;

import io.rulescaler.cluster.ClusterSpecParser;
import io.rulescaler.error.InvalidInputException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import java.util.Comparator;
import java.util.Set;

/**
 * Reads a deployable type file as strictly as a cluster file (through the same SafeYaml reader):
 * unknown keys, wrong types and invalid values are errors naming the file, the line and the field.
 */
@ApplicationScoped
public class DeployableParser {

    private final Validator validator;

    public DeployableParser(Validator validator) {
        this.validator = validator;
    }

    /** Parses and validates {@code content}; {@code file} names it in errors, {@code stem} is the name it must have. */
    public Deployable parse(String file, String stem, String content) {
        Deployable d = ClusterSpecParser.readStrict(content, true, file, Deployable.class, "deployable type");
        if (d.name() != null && !d.name().equals(stem)) {
            throw new InvalidInputException("Invalid value", file + ClusterSpecParser.lineOf(content, "name", null)
                    + ": the file names deployable '" + d.name() + "' but its file name says '" + stem
                    + "'; leave 'name' out or make them match", "name");
        }
        d = d.withName(stem);
        Set<ConstraintViolation<Deployable>> violations = validator.validate(d);
        if (!violations.isEmpty()) {
            ConstraintViolation<Deployable> first = violations.stream()
                    .min(Comparator.comparing(v -> v.getPropertyPath().toString())).orElseThrow();
            String field = ClusterSpecParser.fieldOf(first);
            String more = violations.size() > 1 ? " (and " + (violations.size() - 1) + " more)" : "";
            throw new InvalidInputException("Invalid value", file + lineOfField(content, first, field) + ": field '" + field
                    + "' " + first.getMessage() + more, field);
        }
        return d;
    }

    /**
     * The line of the key a violation is about: each part of its path (field names and map keys,
     * e.g. profiles, stub, minCores) is looked for from the line of the part before it, so the
     * right variant's key is found when several variants set the same field.
     */
    private static String lineOfField(String content, ConstraintViolation<?> v, String field) {
        java.util.List<String> parts = new java.util.ArrayList<>();
        for (jakarta.validation.Path.Node n : v.getPropertyPath()) {
            if (n.getKey() != null && (parts.isEmpty() || !parts.get(parts.size() - 1).equals(n.getKey().toString()))) {
                parts.add(n.getKey().toString());
            }
            if (n.getName() != null && !n.getName().startsWith("<")) {
                parts.add(n.getName());
            }
        }
        String[] lines = content.split("\n", -1);
        int from = 0;
        int found = -1;
        for (String part : parts) {
            java.util.regex.Pattern p = java.util.regex.Pattern.compile("(^|[\\s{,\"'])" + java.util.regex.Pattern.quote(part) + "[\"']?\\s*:");
            for (int i = from; i < lines.length; i++) {
                if (p.matcher(lines[i]).find()) {
                    found = i;
                    from = i;
                    break;
                }
            }
        }
        return found < 0 ? "" : ":" + (found + 1);
    }
}
