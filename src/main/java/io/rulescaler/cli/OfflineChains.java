package io.rulescaler.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.rulescaler.capacity.engine.FiredChain;
import io.rulescaler.capacity.guard.ChainGuard;
import io.rulescaler.handoff.ChainTerms;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The chain guard as the offline tools run it: each chain file's terms (triggers, cooldown, the
 * parameters it reads without a default) read from a chains folder without the service, and the
 * last start of each chain and node kept in memory, so {@code test-rules} and {@code simulate} show
 * the verdict a rule's {@code RunChain} would get. A chain run takes no time offline: none is ever
 * still running when the next is asked for.
 */
final class OfflineChains {

    /** Where the tools look when no folder is given: {@code ./actions}, the service's default. */
    static final Path DEFAULT_DIRECTORY = Path.of("actions");
    private static final Set<String> DEFAULT_TRIGGERS = io.rulescaler.orchestration.chain.Chain.DEFAULT_TRIGGERS;
    private static final long DEFAULT_COOLDOWN_SECONDS = io.rulescaler.orchestration.chain.Chain.DEFAULT_COOLDOWN_SECONDS;
    private static final Pattern REQUIRED = Pattern.compile("\\$\\{params\\.([A-Za-z][A-Za-z0-9._-]*)}");

    private final Path directory;
    private final Map<String, ChainTerms> terms;
    private final Map<String, Instant> lastStarted = new HashMap<>();

    private OfflineChains(Path directory, Map<String, ChainTerms> terms) {
        this.directory = directory;
        this.terms = terms;
    }

    /** The chains of {@code directory}; none when it does not exist. A file that cannot be read is skipped. */
    static OfflineChains read(Path directory) {
        Map<String, ChainTerms> found = new TreeMap<>();
        if (directory != null && Files.isDirectory(directory)) {
            try (Stream<Path> s = Files.list(directory)) {
                for (Path f : s.filter(p -> p.getFileName().toString().matches(".*\\.ya?ml")).sorted().toList()) {
                    ChainTerms t = terms(directory, f);
                    if (t != null) {
                        found.putIfAbsent(t.name(), t);
                    }
                }
            } catch (IOException e) {
                // no chains: every request is refused as "not loaded", which says where they were looked for
            }
        }
        return new OfflineChains(directory, found);
    }

    /** A fresh copy with no runs remembered (one per scenario or simulation). */
    OfflineChains fresh() {
        return new OfflineChains(directory, terms);
    }

    private static ChainTerms terms(Path directory, Path f) {
        try {
            String text = Files.readString(f);
            JsonNode root = ScenarioRunner.YAML.readTree(text);
            if (root == null || !root.isObject()) {
                return null;
            }
            String base = f.getFileName().toString().replaceFirst("\\.ya?ml$", "");
            String name = root.hasNonNull("name") ? root.get("name").asText() : base;
            Set<String> triggers = DEFAULT_TRIGGERS;
            if (root.has("triggers") && root.get("triggers").isArray()) {
                triggers = new TreeSet<>();
                for (JsonNode n : root.get("triggers")) {
                    triggers.add(n.asText());
                }
            }
            long cooldown = root.hasNonNull("cooldown") ? Durations.parse(root.get("cooldown").asText()).toSeconds()
                    : DEFAULT_COOLDOWN_SECONDS;
            Set<String> required = new TreeSet<>();
            Matcher m = REQUIRED.matcher(text);
            while (m.find()) {
                required.add(m.group(1));
            }
            return new ChainTerms(name, directory.getFileName() + "/" + f.getFileName(), Set.copyOf(triggers), cooldown,
                    Set.copyOf(required));
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /**
     * Judges a rule's request at {@code now} as the service would: {@code nodeState} is the named
     * node's state (null: no such node); an accepted run that acts starts the chain's cooldown.
     */
    ChainGuard.ChainVerdict judge(FiredChain c, String nodeState, Map<String, String> clusterParameters, Instant now,
                                  boolean paused, boolean dryRun) {
        String key = c.run().getChain() + "/" + (c.run().getNode() == null ? "" : c.run().getNode());
        ChainGuard.ChainVerdict v = ChainGuard.judge(new ChainGuard.Input(ChainTerms.RULE, c.run().getChain(),
                terms.get(c.run().getChain()), c.run().getNode(), nodeState, clusterParameters, c.run().getParameters(),
                null, lastStarted.get(key), now, paused, dryRun));
        if (v.acts()) {
            lastStarted.put(key, now);
        }
        if (!v.accepted() && !terms.containsKey(c.run().getChain())) {
            return new ChainGuard.ChainVerdict(false, v.dryRun(), java.util.List.of("no chain '" + c.run().getChain()
                    + "' in " + (directory == null ? "(no chains folder)" : directory) + " (give the folder with --chains)"));
        }
        return v;
    }
}
