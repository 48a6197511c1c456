package io.rulescaler.capacity.rules;

import io.rulescaler.boot.StopGated;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.rulescaler.capacity.CapacityConfig;
import io.rulescaler.capacity.CapacityMetrics;
import io.rulescaler.capacity.engine.CompiledRules;
import io.rulescaler.capacity.engine.RuleCompiler;
import io.rulescaler.capacity.engine.RuleError;
import io.rulescaler.capacity.engine.RuleSets;
import io.rulescaler.capacity.engine.RuleSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * The compiled rule sets the sessions run. Compiles on one background thread; a set that
 * compiles replaces the running one atomically (sessions carry their facts over through
 * {@link RulesReloaded}); a set that fails keeps the previous rules running and reports its errors.
 * The first compile runs after start, so HTTP listens meanwhile: until a set is ready its status
 * is {@link RuleSetStatus#COMPILING} and the signals for its clusters wait in storage; its
 * {@link RulesReloaded} event then evaluates them ({@code rulescaler.capacity.rules-at-start}).
 *
 * <pre>
 *   (file change | POST reload | PUT file) ─> compile ─┬─ ok ──> swap, fire RulesReloaded
 *                                                      └─ errors ─> keep old, status + log + metric
 * </pre>
 */
@ApplicationScoped
public class RuleCatalog {

    private static final Logger LOG = Logger.getLogger(RuleCatalog.class);
    /** A rule file as the API addresses it: {@code <set>/<name>.drl}. */
    public static final Pattern FILE = Pattern.compile("[A-Za-z0-9._-]{1,64}/[A-Za-z0-9._-]{1,120}\\.drl");

    private final CapacityConfig config;
    private final CapacityMetrics metrics;
    private final Event<RulesReloaded> reloaded;
    private final Map<String, CompiledRules> running = new ConcurrentHashMap<>();
    private final Map<String, RuleSetStatus> status = new ConcurrentHashMap<>();
    /** Per running set, each file's digest: a stopped rule comes back when its file's changes. */
    private final Map<String, Map<String, String>> fileDigests = new ConcurrentHashMap<>();
    private final ExecutorService compiler = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "rules-compiler");
        t.setDaemon(true);
        return t;
    });
    private volatile String folderStamp = "";

    private final Event<RuleSetFailed> failures;

    public RuleCatalog(CapacityConfig config, CapacityMetrics metrics, Event<RulesReloaded> reloaded, Event<RuleSetFailed> failures) {
        this.failures = failures;
        this.config = config;
        this.metrics = metrics;
        this.reloaded = reloaded;
    }

    /** Set when the service stops: a compile still running then must not wake sessions whose beans are going away. */
    private volatile boolean stopping;

    void onStop(@Observes io.quarkus.runtime.ShutdownEvent ev) {
        stopping = true;
        compiler.shutdownNow();
        try {
            compiler.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    void onStart(@Observes StartupEvent ev) {
        folderStamp = stamp();
        CompletableFuture<List<RuleSetStatus>> first = compileAtStart();
        if (config.rulesAtStart() == CapacityConfig.RulesAtStart.WAIT) {
            join(first);
        }
    }

    /** Marks every set that has not compiled yet as compiling, then compiles all in the background. */
    CompletableFuture<List<RuleSetStatus>> compileAtStart() {
        Instant now = Instant.now();
        for (Map.Entry<String, List<RuleSource>> e : RuleSets.merged(folder()).entrySet()) {
            status.putIfAbsent(e.getKey(), new RuleSetStatus(e.getKey(), RuleSetStatus.COMPILING,
                    e.getValue().stream().map(RuleSource::path).toList(), 0, "", null, now, 0, List.of()));
        }
        return reload();
    }

    /** Runs {@code work} on the compiler thread, before any compile queued after it (tests hold the compile with it). */
    CompletableFuture<Void> onCompilerThread(Runnable work) {
        return CompletableFuture.runAsync(work, compiler);
    }

    /**
     * Why a set has no running rules, in words for "why" and the logs: still compiling after
     * start, failed with its errors, or no such folder.
     */
    public String unavailable(String ruleSet) {
        RuleSetStatus s = status.get(ruleSet);
        if (s != null && RuleSetStatus.COMPILING.equals(s.status())) {
            return "rule set '" + ruleSet + "' is not available yet: it is compiling since " + s.lastAttemptAt()
                    + "; signals wait in storage and are evaluated once it is ready";
        }
        return "rule set '" + ruleSet + "' is not available" + (s == null ? " (no such folder under rules/)"
                : ": " + s.errors().stream().map(RuleError::format).toList()) + "; signals wait in storage, nothing is decided";
    }

    public Path folder() {
        return Path.of(config.rulesDirectory()).toAbsolutePath();
    }

    /** The running rules of a set, if it ever compiled. */
    public Optional<CompiledRules> get(String ruleSet) {
        return Optional.ofNullable(running.get(ruleSet));
    }

    public List<RuleSetStatus> status() {
        return status.values().stream().sorted(java.util.Comparator.comparing(RuleSetStatus::ruleSet)).toList();
    }

    public Optional<RuleSetStatus> status(String ruleSet) {
        return Optional.ofNullable(status.get(ruleSet));
    }

    /** Recompiles every set whose files changed, in the background. */
    public CompletableFuture<List<RuleSetStatus>> reload() {
        return CompletableFuture.supplyAsync(() -> {
            List<RuleSetStatus> out = new ArrayList<>();
            for (Map.Entry<String, List<RuleSource>> e : RuleSets.merged(folder()).entrySet()) {
                out.add(compileAndSwap(e.getKey(), e.getValue()));
            }
            return out;
        }, compiler);
    }

    /**
     * Compiles a set with {@code content} as {@code file}; on success writes the file into the rules
     * folder and swaps; on failure writes nothing and returns the errors.
     */
    public PutOutcome put(String file, String content) {
        return join(CompletableFuture.supplyAsync(() -> {
            String set = RuleSets.setOf(file);
            Map<String, List<RuleSource>> all = RuleSets.merged(folder());
            List<RuleSource> sources = RuleSets.overlay(all.getOrDefault(set, List.of()), List.of(new RuleSource(file, content)));
            CompiledRules compiled = RuleCompiler.compile(set, sources);
            if (!compiled.ok()) {
                failed(set, sources, compiled);
                return new PutOutcome(false, statusOf(set), compiled.errors());
            }
            write(file, content);
            folderStamp = stamp();
            swap(set, sources, compiled);
            return new PutOutcome(true, statusOf(set), List.of());
        }, compiler));
    }

    /**
     * Compiles the set of {@code file} with {@code content} in its place, writing and swapping
     * nothing: the errors a save would report, for an editor's "check".
     */
    public List<RuleError> check(String file, String content) {
        return join(CompletableFuture.supplyAsync(() -> {
            String set = RuleSets.setOf(file);
            List<RuleSource> sources = RuleSets.overlay(RuleSets.merged(folder()).getOrDefault(set, List.of()),
                    List.of(new RuleSource(file, content)));
            return RuleCompiler.compile(set, sources).errors();
        }, compiler));
    }

    /** The text of {@code file} ({@code <set>/<name>.drl}) as the set compiles it: the folder's copy, else the shipped one. */
    public Optional<String> source(String file) {
        return RuleSets.merged(folder()).getOrDefault(RuleSets.setOf(file), List.of()).stream()
                .filter(s -> s.path().equals(file)).map(RuleSource::content).findFirst();
    }

    /** Outcome of a PUT of one rule file. */
    public record PutOutcome(boolean written, RuleSetStatus status, List<RuleError> errors) {
    }

    /** Polls the rules folder and reloads when a file was added, changed or removed. */
    @StopGated
    @Scheduled(every = "${rulescaler.capacity.watch-interval:2s}", delayed = "2s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void watch() {
        if (!config.watch()) {
            return;
        }
        String now = stamp();
        if (!now.equals(folderStamp)) {
            folderStamp = now;
            LOG.infof("rules folder changed folder=%s; reloading", folder());
            reload();
        }
    }

    private RuleSetStatus compileAndSwap(String set, List<RuleSource> sources) {
        String digest = RuleSets.digest(sources);
        RuleSetStatus current = status.get(set);
        if (current != null && digest.equals(current.digest()) && RuleSetStatus.OK.equals(current.status())) {
            return current;
        }
        CompiledRules compiled = RuleCompiler.compile(set, sources);
        if (!compiled.ok()) {
            failed(set, sources, compiled);
        } else {
            swap(set, sources, compiled);
        }
        return statusOf(set);
    }

    /** The digest of one file of a running set ({@code web/loop.drl}); empty when the set does not run it. */
    public Optional<String> fileDigest(String ruleSet, String file) {
        return Optional.ofNullable(fileDigests.getOrDefault(ruleSet, Map.of()).get(file));
    }

    private void swap(String set, List<RuleSource> sources, CompiledRules compiled) {
        Map<String, String> digests = new java.util.HashMap<>();
        sources.forEach(src -> digests.put(src.path(), RuleSets.digest(List.of(src))));
        fileDigests.put(set, Map.copyOf(digests));
        running.put(set, compiled);
        status.put(set, new RuleSetStatus(set, RuleSetStatus.OK, compiled.files(), compiled.ruleCount(),
                RuleSets.digest(sources), compiled.compiledAt(), compiled.compiledAt(), compiled.took().toMillis(), List.of()));
        metrics.reload(set);
        LOG.infof("rules loaded rule_set=%s files=%d rules=%d took_ms=%d", set, compiled.files().size(),
                compiled.ruleCount(), compiled.took().toMillis());
        if (!stopping) {
            reloaded.fire(new RulesReloaded(set, compiled));
        }
    }

    private void failed(String set, List<RuleSource> sources, CompiledRules compiled) {
        if (stopping) {
            return; // a compile cut short by the stop is no rule error: nothing to report, nobody to mail
        }
        CompiledRules old = running.get(set);
        RuleSetStatus prev = status.get(set);
        status.put(set, new RuleSetStatus(set, old == null ? RuleSetStatus.FAILED : RuleSetStatus.FAILED_KEEPING_OLD,
                old == null ? compiled.files() : old.files(), old == null ? 0 : old.ruleCount(),
                prev == null || old == null ? RuleSets.digest(sources) + "-failed" : prev.digest() + "-failed",
                old == null ? null : old.compiledAt(), Instant.now(), compiled.took().toMillis(), compiled.errors()));
        metrics.reloadFailure(set);
        for (RuleError e : compiled.errors()) {
            LOG.errorf("rule compile error rule_set=%s file=%s line=%d column=%d message=\"%s\" keeping_previous=%s",
                    set, e.file(), e.line(), e.column(), e.message(), old != null);
        }
        failures.fireAsync(new RuleSetFailed(set, compiled.errors().stream().map(RuleError::format).toList()));
    }

    private RuleSetStatus statusOf(String set) {
        return status.get(set);
    }

    private void write(String file, String content) {
        Path target = folder().resolve(file).normalize();
        if (!target.startsWith(folder())) {
            throw new IllegalArgumentException("file outside the rules folder: " + file);
        }
        try {
            Files.createDirectories(target.getParent());
            Path tmp = target.resolveSibling("." + target.getFileName() + ".tmp");
            Files.writeString(tmp, content, StandardCharsets.UTF_8);
            try {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write rule file " + target, e);
        }
    }

    /** Names, sizes and times of every DRL file in the folder: changes when any file does. */
    private String stamp() {
        Path dir = folder();
        if (!Files.isDirectory(dir)) {
            return "";
        }
        StringBuilder sb = new StringBuilder();
        try (Stream<Path> files = Files.walk(dir, 2)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".drl")).sorted().toList()) {
                sb.append(f).append(':').append(Files.size(f)).append(':').append(Files.getLastModifiedTime(f).toMillis()).append('\n');
            }
        } catch (IOException e) {
            return "unreadable:" + e.getMessage();
        }
        return sb.toString();
    }

    private static <T> T join(CompletableFuture<T> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
        }
    }
}
