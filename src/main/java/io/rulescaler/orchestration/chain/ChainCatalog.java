package io.rulescaler.orchestration.chain;

import io.rulescaler.action.ActionRegistry;
import io.rulescaler.cluster.ClusterSpec;
import io.rulescaler.error.RefusedException;
import io.rulescaler.orchestration.operation.OperationEntity.Kind;
import io.rulescaler.orchestration.OrchestrationConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * The chains in force, read from the chains folder at start and again whenever a file changes.
 * A file that fails validation is reported with file, line and field, and the chain it defined
 * before stays in force.
 */
@ApplicationScoped
public class ChainCatalog {

    private static final Logger LOG = Logger.getLogger(ChainCatalog.class);
    private final ActionRegistry actions;
    private final Path directory;
    private volatile Map<String, Chain> chains = Map.of();
    private volatile List<ChainError> errors = List.of();
    private volatile String fingerprint = "";

    public ChainCatalog(ActionRegistry actions, OrchestrationConfig config) {
        this.actions = actions;
        this.directory = Path.of(config.chainsDirectory()).toAbsolutePath();
    }

    /** The outcome of a (re)load: how many chains are in force and what is wrong. */
    public record LoadReport(List<String> loaded, List<ChainError> errors) {
    }

    /** Reads every {@code *.yaml} file; keeps old chains for files that fail. */
    public synchronized LoadReport reload() {
        Map<String, Chain> next = new TreeMap<>();
        Map<String, Chain> previousByFile = new TreeMap<>();
        chains.values().forEach(c -> previousByFile.put(c.file(), c));
        List<ChainError> problems = new ArrayList<>();
        List<String> loaded = new ArrayList<>();
        for (Path f : files()) {
            String file = directory.getFileName() + "/" + f.getFileName();
            String base = f.getFileName().toString().replaceFirst("\\.ya?ml$", "");
            String content;
            try {
                content = Files.readString(f, StandardCharsets.UTF_8);
            } catch (IOException e) {
                problems.add(new ChainError(file, 0, "(file)", "cannot read: " + e.getMessage()));
                continue;
            }
            ChainParser.Result r = ChainParser.parse(file, base, content, actions.parameters());
            Chain chain = r.chain();
            if (chain != null && next.containsKey(chain.name())) {
                problems.add(new ChainError(file, 1, "name", "chain '" + chain.name() + "' is already defined in "
                        + next.get(chain.name()).file()));
                chain = null;
            }
            if (chain == null) {
                problems.addAll(r.errors());
                Chain old = previousByFile.get(file);
                if (old != null) {
                    next.putIfAbsent(old.name(), old);
                }
                continue;
            }
            next.put(chain.name(), chain);
            loaded.add(chain.name());
        }
        chains = Map.copyOf(next);
        errors = List.copyOf(problems);
        fingerprint = currentFingerprint();
        for (ChainError e : problems) {
            LOG.errorf("chain invalid file=%s line=%d field=%s problem=%s (the previous version stays in force)",
                    e.file(), e.line(), e.field(), e.message());
        }
        LOG.infof("chains loaded directory=%s chains=%s errors=%d", directory, next.keySet(), problems.size());
        return new LoadReport(List.copyOf(loaded), errors);
    }

    /** Reloads when a chain file was added, changed or removed since the last load. */
    public void reloadIfChanged() {
        if (!currentFingerprint().equals(fingerprint)) {
            reload();
        }
    }

    public Optional<Chain> find(String name) {
        return Optional.ofNullable(chains.get(name));
    }

    public Map<String, Chain> all() {
        return chains;
    }

    public List<ChainError> errors() {
        return errors;
    }

    /** The chain a cluster runs for an operation kind: named in its spec, else the default for its provider. */
    public static String chainName(ClusterSpec spec, Kind kind) {
        ClusterSpec.Chains c = spec.chains();
        String named = c == null ? null : switch (kind) {
            case SCALE_OUT -> c.scaleOut();
            case SCALE_IN -> c.scaleIn();
            case REPLACE -> c.replace();
            case TEARDOWN -> c.teardown();
        };
        if (named != null && !named.isBlank()) {
            return named;
        }
        String base = kind.label();
        return spec.provider() != null && spec.provider().startsWith("stub") ? "stub-" + base : base;
    }

    /**
     * The chain to run, or a refusal naming the chain and any action this build lacks; the
     * check happens for the cluster that uses the chain, never by skipping a step.
     */
    public Chain forCluster(ClusterSpec spec, Kind kind) {
        String name = chainName(spec, kind);
        Chain chain = chains.get(name);
        if (chain == null) {
            throw new RefusedException("Chain not available", "cluster '" + spec.name() + "' uses chain '" + name
                    + "' for " + kind.label() + ", but no valid chain of that name is loaded from " + directory
                    + (errors.isEmpty() ? "" : "; chain file errors: " + errors), "chains");
        }
        Set<String> missing = actions.missing(chain.actionTypes());
        if (!missing.isEmpty()) {
            throw new RefusedException("Chain not available", "chain '" + name + "' (" + chain.file()
                    + ") used by cluster '" + spec.name() + "' needs action(s) " + missing
                    + " which this build does not provide (available: " + actions.available()
                    + "); use a chain without them, e.g. 'stub-" + kind.label() + "'", "chains");
        }
        return chain;
    }

    private List<Path> files() {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(directory)) {
            return s.filter(p -> p.getFileName().toString().matches(".*\\.ya?ml")).sorted().toList();
        } catch (IOException e) {
            LOG.errorf("cannot list chains directory=%s problem=%s", directory, e.getMessage());
            return List.of();
        }
    }

    private String currentFingerprint() {
        StringBuilder sb = new StringBuilder();
        for (Path f : files()) {
            try {
                sb.append(f.getFileName()).append(':').append(Files.getLastModifiedTime(f).toMillis()).append(':')
                        .append(Files.size(f)).append(';');
            } catch (IOException e) {
                sb.append(f.getFileName()).append(":?;");
            }
        }
        return sb.toString();
    }
}
