package io.rulescaler.format;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.yaml.snakeyaml.LoaderOptions;

/**
 * The one set of limits every YAML the service or the offline tools read goes through (cluster
 * specs, chains, scenarios), so that a file or request cannot exhaust memory or time: few aliases
 * (a "billion laughs" is refused at once), bounded nesting and size, and duplicate keys refused
 * rather than the last one silently winning.
 */
public final class SafeYaml {

    /** Most aliases (*x) to collections in one document; cluster specs and chains need none. */
    public static final int MAX_ALIASES = 20;
    /** Deepest nesting of mappings and lists. */
    public static final int MAX_DEPTH = 40;
    /** Most characters in one document (the HTTP body limit is 1 MB; files get a little more room). */
    public static final int MAX_CODE_POINTS = 4 * 1024 * 1024;

    private SafeYaml() {
    }

    /** SnakeYAML options with the limits. */
    public static LoaderOptions loaderOptions() {
        LoaderOptions o = new LoaderOptions();
        o.setMaxAliasesForCollections(MAX_ALIASES);
        o.setNestingDepthLimit(MAX_DEPTH);
        o.setCodePointLimit(MAX_CODE_POINTS);
        o.setAllowDuplicateKeys(false);
        o.setAllowRecursiveKeys(false);
        return o;
    }

    /**
     * The line of the first alias ({@code *name}) in {@code content}, or -1 when there is none (or
     * the text does not parse: the reader then reports that). Jackson does not resolve aliases, it
     * reads {@code *name} as the text "name", so the readers built on it refuse them instead.
     */
    public static int firstAliasLine(String content) {
        try {
            for (org.yaml.snakeyaml.events.Event e : new org.yaml.snakeyaml.Yaml(loaderOptions()).parse(new java.io.StringReader(content))) {
                if (e instanceof org.yaml.snakeyaml.events.AliasEvent) {
                    return e.getStartMark().getLine() + 1;
                }
            }
        } catch (RuntimeException unreadable) {
            return -1;
        }
        return -1;
    }

    /** A Jackson YAML factory with the limits, duplicate keys refused. */
    public static YAMLFactory factory() {
        YAMLFactory f = YAMLFactory.builder()
                .loaderOptions(loaderOptions())
                .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH)
                        .maxStringLength(MAX_CODE_POINTS).maxNumberLength(100).build())
                .build();
        f.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        return f;
    }
}
