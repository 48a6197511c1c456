package io.rulescaler.cluster.deployable;

import io.rulescaler.boot.StopGated;
import io.quarkus.scheduler.Scheduled;
import io.rulescaler.error.DomainException;
import io.rulescaler.error.InvalidInputException;
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
 * The deployable types in force, read from the deployables folder on first use and again whenever a
 * file is added, changed or removed (as chains are). A file that fails is reported with file, line
 * and field, and the version it defined before stays in force.
 */
@ApplicationScoped
public class DeployableCatalog {

    private static final Logger LOG = Logger.getLogger(DeployableCatalog.class);
    private final DeployableParser parser;
    private final Path directory;
    private volatile Map<String, Entry> entries;
    private volatile List<LoadError> errors = List.of();
    private volatile String fingerprint = "";

    public DeployableCatalog(DeployableParser parser, DeployablesConfig config) {
        this.parser = parser;
        this.directory = Path.of(config.directory()).toAbsolutePath();
    }

    /** A deployable in force with the file it came from (relative to the folder's parent, e.g. deployables/x.yaml). */
    public record Entry(Deployable deployable, String file) {
    }

    /** A file that could not be loaded: where and why (the message starts with file:line where there is one). */
    public record LoadError(String file, String field, String message) {
    }

    /** The outcome of a (re)load: what is in force, what changed since the last load (per deployable), what failed. */
    public record LoadReport(String directory, List<String> loaded, Map<String, List<String>> changes, List<LoadError> errors) {
    }

    /** The deployable of this name, if one is in force. */
    public Optional<Entry> find(String name) {
        return Optional.ofNullable(current().get(name));
    }

    /** The deployable a cluster names, or a 400 naming the known ones. */
    public Entry require(String name) {
        return find(name).orElseThrow(() -> new InvalidInputException("Unknown deployable", "no deployable '" + name
                + "' in " + directory + " (known: " + current().keySet() + ")" + (errors.isEmpty() ? ""
                : "; files that failed to load: " + errors.stream().map(LoadError::file).toList()), "deployable",
                Map.of("known", List.copyOf(current().keySet()))));
    }

    /** Every deployable in force, by name. */
    public Map<String, Entry> all() {
        return current();
    }

    /** Problems of the last load. */
    public List<LoadError> errors() {
        current();
        return errors;
    }

    public Path directory() {
        return directory;
    }

    /** Reads every {@code *.yaml}/{@code *.yml} file; a file that fails keeps its earlier version in force. */
    public synchronized LoadReport reload() {
        Map<String, Entry> previous = entries == null ? Map.of() : entries;
        Map<String, Entry> next = new TreeMap<>();
        List<LoadError> problems = new ArrayList<>();
        List<String> loaded = new ArrayList<>();
        String nextFingerprint = currentFingerprint();
        for (Path f : files()) {
            String file = directory.getFileName() + "/" + f.getFileName();
            String stem = f.getFileName().toString().replaceFirst("\\.ya?ml$", "");
            try {
                String content = Files.readString(f, StandardCharsets.UTF_8);
                Deployable d = parser.parse(file, stem, content);
                if (next.containsKey(d.name())) {
                    throw new InvalidInputException("deployable '" + d.name() + "' is already defined in " + next.get(d.name()).file(), "name");
                }
                next.put(d.name(), new Entry(d, file));
                loaded.add(d.name());
            } catch (DomainException e) {
                problems.add(new LoadError(file, e.field(), e.getMessage()));
                Entry old = previous.get(stem);
                if (old != null && old.file().equals(file)) {
                    next.putIfAbsent(stem, old);
                }
            } catch (IOException e) {
                problems.add(new LoadError(file, null, file + ": cannot read: " + e.getMessage()));
            }
        }
        Map<String, List<String>> changes = new TreeMap<>();
        if (entries != null) {
            next.forEach((name, e) -> {
                Entry before = previous.get(name);
                List<String> diff = before == null ? List.of("added (" + e.file() + ")")
                        : io.rulescaler.cluster.ClusterDiff.betweenValues(before.deployable(), e.deployable());
                if (!diff.isEmpty()) {
                    changes.put(name, diff);
                }
            });
            previous.keySet().stream().filter(n -> !next.containsKey(n)).forEach(n -> changes.put(n, List.of("removed")));
        }
        entries = java.util.Collections.unmodifiableMap(next);
        errors = List.copyOf(problems);
        fingerprint = nextFingerprint;
        for (LoadError e : problems) {
            LOG.errorf("deployable invalid (an earlier version of it, if any, stays in force): %s", e.message());
        }
        changes.forEach((name, diff) -> LOG.infof("deployable changed deployable=%s changes=%s (running nodes are not touched; "
                + "clusters using it count them as nodesDifferFromSpec)", name, diff));
        LOG.infof("deployables loaded directory=%s deployables=%s errors=%d", directory, next.keySet(), problems.size());
        return new LoadReport(directory.toString(), List.copyOf(loaded), changes, errors);
    }

    /** Reloads when a file was added, changed or removed since the last load. */
    @StopGated
    @Scheduled(every = "${rulescaler.deployables.reload-interval:5s}", delayed = "5s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP, skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    public void reloadIfChanged() {
        if (entries == null || !currentFingerprint().equals(fingerprint)) {
            reload();
        }
    }

    private Map<String, Entry> current() {
        Map<String, Entry> e = entries;
        if (e == null) {
            reload();
            e = entries;
        }
        return e;
    }

    /** Names of the deployables in force. */
    public Set<String> names() {
        return current().keySet();
    }

    private List<Path> files() {
        return io.rulescaler.format.YamlFolder.files(directory, "deployables");
    }

    private String currentFingerprint() {
        return io.rulescaler.format.YamlFolder.fingerprint(files());
    }
}
