package io.rulescaler.orchestration.chain;

import io.rulescaler.action.ActionRegistry;
import io.rulescaler.cluster.ClusterSpec;
import io.rulescaler.error.RefusedException;
import io.rulescaler.handoff.ChainDirectory;
import io.rulescaler.handoff.ChainTerms;
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
import org.jboss.logging.Logger;

/**
 * The chains in force, read from the chains folder at start and again whenever a file changes.
 * A file that fails validation is reported with file, line and field, and the chain it defined
 * before stays in force.
 */
@ApplicationScoped
public class ChainCatalog implements ChainDirectory, io.rulescaler.cluster.ClusterSpecCheck {

    private static final Logger LOG = Logger.getLogger(ChainCatalog.class);
    private final ActionRegistry actions;
    private final Path directory;
    private volatile Map<String, Chain> chains = Map.of();
    /** Each chain's file content as loaded, for the lines of errors found later (a cluster applied). */
    private volatile Map<String, String> sources = Map.of();
    private volatile List<ChainError> errors = List.of();
    private volatile String fingerprint = "";

    private final jakarta.enterprise.inject.Instance<io.rulescaler.cluster.ClusterService> clusters;

    public ChainCatalog(ActionRegistry actions, OrchestrationConfig config,
                        jakarta.enterprise.inject.Instance<io.rulescaler.cluster.ClusterService> clusters) {
        this.clusters = clusters;
        this.actions = actions;
        this.directory = Path.of(config.chainsDirectory()).toAbsolutePath();
    }

    /** The outcome of a (re)load: how many chains are in force and what is wrong. */
    public record LoadReport(List<String> loaded, List<ChainError> errors) {
    }

    /** Reads every {@code *.yaml} file; keeps old chains for files that fail. */
    public synchronized LoadReport reload() {
        Map<String, Chain> next = new TreeMap<>();
        Map<String, String> nextSources = new TreeMap<>();
        Map<String, String> previousSources = sources;
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
            if (r.ok()) {
                List<ChainError> unmet = unmetUses(r.chain(), content);
                if (!unmet.isEmpty()) {
                    r = new ChainParser.Result(null, unmet);
                }
            }
            Chain chain = r.chain();
            if (chain != null && next.containsKey(chain.name())) {
                problems.add(new ChainError(file, 1, "name", "chain '" + chain.name() + "' is already defined in "
                        + next.get(chain.name()).file()));
                chain = null;
            }
            if (chain == null) {
                problems.addAll(r.errors());
                Chain old = previousByFile.get(file);
                if (old != null && next.putIfAbsent(old.name(), old) == null && previousSources.containsKey(old.name())) {
                    nextSources.put(old.name(), previousSources.get(old.name()));
                }
                continue;
            }
            next.put(chain.name(), chain);
            nextSources.put(chain.name(), content);
            loaded.add(chain.name());
        }
        chains = Map.copyOf(next);
        sources = Map.copyOf(nextSources);
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

    @Override
    public Optional<ChainTerms> terms(String chain) {
        Chain c = chains.get(chain);
        return c == null ? Optional.empty()
                : Optional.of(new ChainTerms(c.name(), c.file(), c.triggers(), c.cooldownSeconds(), c.requiredParameters()));
    }

    /**
     * A cluster is refused when a chain it uses for its operations does not allow {@code scale} in its
     * triggers, or reads a parameter the cluster does not define.
     */
    @Override
    public void check(ClusterSpec spec) {
        List<ChainError> unmet = new ArrayList<>();
        for (Kind kind : Kind.values()) {
            Chain chain = kind.scales() ? chains.get(chainName(spec, kind)) : null;
            ChainError notForScaling = chain == null ? null : ChainTriggers.refusal(chain, sources.get(chain.name()), spec, kind);
            if (notForScaling != null) {
                throw new io.rulescaler.error.InvalidInputException("Chain not for scaling", notForScaling.file() + ":"
                        + notForScaling.line() + ": " + notForScaling.message(), ChainTriggers.field(kind));
            }
            if (chain != null) {
                unmet.addAll(ChainParameters.missing(chain, sources.get(chain.name()), spec, kind.label()));
            }
        }
        if (!unmet.isEmpty()) {
            ChainError e = unmet.get(0);
            throw new io.rulescaler.error.InvalidInputException("Missing parameter", e.file() + ":" + e.line() + ": "
                    + e.message() + (unmet.size() > 1 ? " (and " + (unmet.size() - 1) + " more)" : ""), "parameters");
        }
    }

    /** A chain started by name (a chain run): refused when it is not loaded or needs actions this build lacks. */
    public Chain named(String name) {
        Chain chain = chains.get(name);
        if (chain == null) {
            throw new RefusedException("Chain not available", "no valid chain '" + name + "' is loaded from " + directory, "chain");
        }
        Set<String> missing = actions.missing(chain.actionTypes());
        if (!missing.isEmpty()) {
            throw new RefusedException("Chain not available", "chain '" + name + "' (" + chain.file() + ") needs action(s) "
                    + missing + " which this build does not provide (available: " + actions.available() + ")", "chain");
        }
        return chain;
    }

    /**
     * What a cluster using the chain for one of its operations lacks: {@code scale} among the chain's
     * triggers (an error at its {@code triggers:} line), or a parameter the chain reads without a
     * default (an error at the line that reads it), each naming the cluster.
     */
    private List<ChainError> unmetUses(Chain chain, String content) {
        if (chain.requiredParameters().isEmpty() && chain.triggers().contains(ChainTerms.SCALE)) {
            return List.of();
        }
        List<ClusterSpec> all;
        try {
            all = clusters.get().runningSpecs(); // the specs only: no node counts per cluster
        } catch (RuntimeException e) {
            LOG.debugf("clusters not readable while loading chains problem=%s", e.toString());
            return List.of();
        }
        List<ChainError> out = new ArrayList<>();
        for (ClusterSpec spec : all) {
            for (Kind kind : Kind.values()) {
                if (kind.scales() && chainName(spec, kind).equals(chain.name())) {
                    ChainError notForScaling = ChainTriggers.refusal(chain, content, spec, kind);
                    if (notForScaling != null) {
                        out.add(notForScaling);
                    }
                    out.addAll(ChainParameters.missing(chain, content, spec, kind.label()));
                }
            }
        }
        return out;
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
            case RUN_CHAIN -> throw new IllegalArgumentException("a chain run names its chain");
            case REDEPLOY -> throw new IllegalArgumentException("a redeploy builds its chain from the cluster's chains");
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
        ChainError notForScaling = ChainTriggers.refusal(chain, sources.get(name), spec, kind);
        if (notForScaling != null) {
            throw new RefusedException("Chain not for scaling", notForScaling.file() + ":" + notForScaling.line() + ": "
                    + notForScaling.message(), "chains");
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
        return io.rulescaler.format.YamlFolder.files(directory, "chains");
    }

    private String currentFingerprint() {
        return io.rulescaler.format.YamlFolder.fingerprint(files());
    }
}
