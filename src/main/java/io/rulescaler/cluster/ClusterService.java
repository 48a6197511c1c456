package io.rulescaler.cluster;

import io.rulescaler.cluster.deployable.DeployableCatalog;
import io.rulescaler.cluster.deployable.EffectiveSpec;
import io.rulescaler.cluster.deployable.NodeRecipe;
import io.rulescaler.error.ConflictException;
import io.rulescaler.error.NotFoundException;
import io.rulescaler.error.StaleVersionException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.inject.Instance;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.UnaryOperator;

/**
 * Owns cluster specs: create, apply (idempotent upsert with a change list), delete and flag
 * changes, each in one transaction and guarded by the version column against lost updates.
 */
@ApplicationScoped
@Transactional
public class ClusterService {

    private final ClusterRepository clusters;
    private final NodeRepository nodes;
    private final ClusterSpecParser parser;
    private final Event<ClusterChanged> changed;
    private final Clock clock;
    private final Instance<ClusterSpecCheck> checks;
    private final DeployableCatalog deployables;

    public ClusterService(ClusterRepository clusters, NodeRepository nodes, ClusterSpecParser parser,
                          Event<ClusterChanged> changed, Clock clock, Instance<ClusterSpecCheck> checks,
                          DeployableCatalog deployables) {
        this.checks = checks;
        this.deployables = deployables;
        this.clusters = clusters;
        this.nodes = nodes;
        this.parser = parser;
        this.changed = changed;
        this.clock = clock;
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public List<ClusterView> list() {
        return clusters.listAll().stream().sorted(java.util.Comparator.comparing(c -> c.name)).map(this::view).toList();
    }

    /**
     * Every cluster's effective spec, ordered by name, without the node counts {@link #list()} reads (three queries per
     * cluster): the health prober reads this every second (bench/scale-model.sh IDLE=600, docs/scaling.md "What binds first").
     */
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<ClusterSpec> runningSpecs() {
        return clusters.listAll().stream().sorted(java.util.Comparator.comparing(c -> c.name)).map(e -> runningSpec(e).spec()).toList();
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<ClusterView> find(String name) {
        return clusters.findByName(name).map(this::view);
    }

    /** The cluster or a 404 problem. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public ClusterView get(String name) {
        return find(name).orElseThrow(() -> NotFoundException.of("cluster", name));
    }

    /** Creates a new cluster; 409 when the name is taken. */
    public ClusterView create(ClusterSpec spec) {
        parser.validate(spec, "request");
        if (clusters.findByName(spec.name()).isPresent()) {
            throw new ConflictException("cluster '" + spec.name() + "' already exists; PUT /api/v1/clusters/"
                    + spec.name() + " to change it");
        }
        ClusterSpec effective = effective(spec);
        checks.forEach(c -> c.check(effective));
        ClusterEntity e = new ClusterEntity();
        e.name = spec.name();
        Instant now = clock.instant();
        e.createdAt = now;
        write(e, spec, now);
        clusters.persist(e);
        clusters.flush();
        changed.fire(new ClusterChanged(e.name, false));
        return view(e);
    }

    /**
     * Creates or replaces a cluster's spec. With {@code expectedVersion}, a different stored
     * version answers 412 and nothing is written. Applying the same spec twice changes nothing.
     */
    public ApplyResult apply(ClusterSpec spec, OptionalLong expectedVersion) {
        parser.validate(spec, "request");
        Optional<ClusterEntity> existing = clusters.findByName(spec.name());
        if (existing.isEmpty()) {
            if (expectedVersion.isPresent()) {
                throw new StaleVersionException(
                        "cluster '" + spec.name() + "' does not exist, but If-Match expected version " + expectedVersion.getAsLong());
            }
            ClusterView created = create(spec);
            return new ApplyResult(ApplyResult.CREATED, ClusterDiff.between(null, spec), created);
        }
        ClusterEntity e = existing.get();
        checkVersion(e, expectedVersion);
        ClusterSpec before = ClusterSpecParser.fromJson(e.specJson);
        List<String> changes = ClusterDiff.between(before, spec);
        if (changes.isEmpty()) {
            return new ApplyResult(ApplyResult.UNCHANGED, changes, view(e));
        }
        ClusterSpec effective = effective(spec);
        checks.forEach(c -> c.check(effective));
        changes = ClusterDiff.withEffective(changes, lenientEffective(before).spec(), effective);
        bumpSpecVersion(e, before, spec);
        write(e, spec, clock.instant());
        clusters.flush();
        changed.fire(new ClusterChanged(e.name, false));
        return new ApplyResult(ApplyResult.UPDATED, changes, view(e));
    }

    /** Changes a spec through a function, under the same version check as apply. */
    public ApplyResult modify(String name, OptionalLong expectedVersion, UnaryOperator<ClusterSpec> change) {
        ClusterEntity e = clusters.findByName(name).orElseThrow(() -> NotFoundException.of("cluster", name));
        checkVersion(e, expectedVersion);
        ClusterSpec before = ClusterSpecParser.fromJson(e.specJson);
        ClusterSpec after = change.apply(before);
        parser.validate(after, "request");
        List<String> changes = ClusterDiff.between(before, after);
        if (!changes.isEmpty()) {
            changes = ClusterDiff.withEffective(changes, lenientEffective(before).spec(), lenientEffective(after).spec());
            bumpSpecVersion(e, before, after);
            write(e, after, clock.instant());
            clusters.flush();
            changed.fire(new ClusterChanged(e.name, false));
        }
        return new ApplyResult(changes.isEmpty() ? ApplyResult.UNCHANGED : ApplyResult.UPDATED, changes, view(e));
    }

    /**
     * Changes a spec for a rollout and sets the spec version nodes should run to {@code specVersion}
     * (a redeploy moves it on; its rollback sets the previous one again). The cluster's spec checks
     * run as for apply; returns the spec as written.
     */
    public ClusterSpec rollOut(String name, UnaryOperator<ClusterSpec> change, int specVersion) {
        ClusterEntity e = clusters.findByName(name).orElseThrow(() -> NotFoundException.of("cluster", name));
        ClusterSpec after = change.apply(ClusterSpecParser.fromJson(e.specJson));
        parser.validate(after, "request");
        checks.forEach(c -> c.check(after));
        write(e, after, clock.instant());
        e.specVersion = specVersion;
        clusters.flush();
        changed.fire(new ClusterChanged(e.name, false));
        return after;
    }

    /** The spec version nodes of the cluster should run. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public int specVersion(String name) {
        return clusters.findByName(name).orElseThrow(() -> NotFoundException.of("cluster", name)).specVersion;
    }

    private static void bumpSpecVersion(ClusterEntity e, ClusterSpec before, ClusterSpec after) {
        if (ClusterSpecParser.nodesRunDifferently(before, after)) {
            e.specVersion++;
        }
    }

    /** Deletes a cluster and its node records; 404 when absent, 412 on a version mismatch. */
    public void delete(String name, OptionalLong expectedVersion) {
        ClusterEntity e = clusters.findByName(name).orElseThrow(() -> NotFoundException.of("cluster", name));
        checkVersion(e, expectedVersion);
        long live = nodes.count("clusterId = ?1 and state in ?2", e.id, NodeState.LIVE);
        if (live > 0) {
            throw new ConflictException("cluster '" + name + "' still has " + live
                    + " live nodes; scale it to 0 or tear it down first");
        }
        clusters.delete(e);
        clusters.flush();
        changed.fire(new ClusterChanged(name, true));
    }

    private static void checkVersion(ClusterEntity e, OptionalLong expected) {
        if (expected.isPresent() && expected.getAsLong() != e.version) {
            throw new StaleVersionException(
                    "cluster '" + e.name + "' is at version " + e.version + ", not " + expected.getAsLong()
                            + "; someone else changed it. Read it again and reapply your change.");
        }
    }

    private static void write(ClusterEntity e, ClusterSpec spec, Instant now) {
        e.specJson = ClusterSpecParser.toJson(spec);
        e.paused = spec.isPaused();
        e.dryRun = spec.isDryRun();
        e.updatedAt = now;
    }

    ClusterView view(ClusterEntity e) {
        Map<String, Long> counts = new LinkedHashMap<>();
        if (e.id != null) {
            for (StateCount r : nodes.find("select n.state, count(n) from NodeEntity n where n.clusterId = ?1 group by n.state", e.id)
                    .project(StateCount.class).list()) {
                counts.put(r.state().label(), r.count());
            }
        }
        long older = e.id == null ? 0 : nodes.count("clusterId = ?1 and state in ?2 and specVersion <> ?3", e.id,
                NodeService.RUNNING, e.specVersion);
        ClusterSpec declared = ClusterSpecParser.fromJson(e.specJson);
        Lenient eff = lenientEffective(declared);
        long differ = e.id == null ? 0 : nodesDifferingFrom(e.id, eff.spec());
        return new ClusterView(e.name, e.version, eff.spec(), counts, e.createdAt, e.updatedAt, e.specVersion, older,
                eff.spec() == declared ? null : declared, differ, eff.problem());
    }

    /** The spec a cluster runs with and, when its deployable is gone since it was applied, why it cannot add nodes. */
    public record RunningSpec(ClusterSpec spec, String deployableProblem) {
    }

    /**
     * What the hand-off needs of a cluster (its effective spec), without the node counts a {@link ClusterView}
     * adds: the intake and the planner call it on every scale request, where the view cost eight more queries.
     */
    public RunningSpec runningSpec(ClusterEntity e) {
        Lenient eff = lenientEffective(ClusterSpecParser.fromJson(e.specJson));
        return new RunningSpec(eff.spec(), eff.problem());
    }

    /**
     * The spec a cluster runs with: {@code declared} laid over its deployable type; a 400 when it
     * names a deployable that is not in force or lacks a variant for a profile the cluster uses.
     */
    public ClusterSpec effective(ClusterSpec declared) {
        if (declared.deployable() == null) {
            return EffectiveSpec.merge(declared, null);
        }
        DeployableCatalog.Entry entry = deployables.require(declared.deployable());
        EffectiveSpec.requireVariants(declared, entry.deployable(), entry.file());
        return EffectiveSpec.merge(declared, entry.deployable());
    }

    /** Nodes of a cluster in one state. */
    record StateCount(NodeState state, Long count) {
    }

    /** Live nodes of a profile configured with one recipe. */
    record RecipeCount(String profile, String recipeDigest, Long count) {
    }

    /** The effective spec, or the declared one with the reason when its deployable is gone since it was applied. */
    private record Lenient(ClusterSpec spec, String problem) {
    }

    private Lenient lenientEffective(ClusterSpec declared) {
        try {
            return new Lenient(effective(declared), null);
        } catch (io.rulescaler.error.InvalidInputException gone) {
            return new Lenient(EffectiveSpec.merge(declared, null), gone.getMessage());
        }
    }

    /** Live nodes whose recorded recipe digest is not the one the effective spec gives their profile now. */
    private long nodesDifferingFrom(long clusterId, ClusterSpec effective) {
        List<RecipeCount> rows = nodes.find("select n.profile, n.recipeDigest, count(n) from NodeEntity n where n.clusterId = ?1"
                        + " and n.state in ?2 and n.recipeDigest is not null group by n.profile, n.recipeDigest", clusterId, NodeState.LIVE)
                .project(RecipeCount.class).list();
        long differ = 0;
        Map<String, String> current = new java.util.HashMap<>();
        for (RecipeCount r : rows) {
            String digest = current.computeIfAbsent(effective.profileOr(r.profile()), p -> NodeRecipe.digest(effective, p));
            if (!digest.equals(r.recipeDigest())) {
                differ += r.count();
            }
        }
        return differ;
    }
}
