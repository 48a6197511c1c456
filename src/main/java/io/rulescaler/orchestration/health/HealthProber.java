package io.rulescaler.orchestration.health;

import io.rulescaler.boot.StopGated;
import io.quarkus.scheduler.Scheduled;
import io.rulescaler.cluster.ClusterService;
import io.rulescaler.cluster.ClusterSpec;
import io.rulescaler.cluster.NodeState;
import io.rulescaler.handoff.HealthReports;
import io.rulescaler.handoff.SessionOwnership;
import io.rulescaler.provider.ssh.SshTarget;
import io.rulescaler.notify.OperationMailer;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Probes the active nodes of every cluster with a {@code health:} block, from the one instance that
 * owns the cluster's session, like a load balancer's health check: {@code unhealthyAfter} failed
 * probes in a row (or heartbeats missing for {@code lostAfterSeconds}) past {@code graceSeconds}
 * after the node became active mark it {@code unhealthy} and start its surge-first replacement
 * ({@link HealthStore}); {@code healthyAfter} good probes in a row before that bring it back.
 * An unhealthy node leaves its load balancer at once and comes back if it recovers first ({@link HealthRotation}).
 * Probe counts live in memory: a new owner starts counting afresh; each round is kept for {@code /why}.
 */
@ApplicationScoped
public class HealthProber implements HealthReports {

    private static final Logger LOG = Logger.getLogger(HealthProber.class);
    private final ClusterService clusters;
    private final SessionOwnership ownership;
    private final HealthStore store;
    private final OperationMailer mailer;
    private final HealthRotation rotation;
    private final Clock clock;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build();
    private final Map<String, Instant> due = new ConcurrentHashMap<>();
    private final Map<Long, int[]> counts = new ConcurrentHashMap<>();
    private final Map<String, String> capMailed = new ConcurrentHashMap<>();
    private final Map<Long, String> lastProbe = new ConcurrentHashMap<>();
    private final Map<String, Set<Long>> probedIds = new ConcurrentHashMap<>();
    private final Map<String, Report> reports = new ConcurrentHashMap<>();

    public HealthProber(ClusterService clusters, SessionOwnership ownership, HealthStore store, OperationMailer mailer,
                        HealthRotation rotation, Clock clock) {
        this.clusters = clusters;
        this.ownership = ownership;
        this.store = store;
        this.mailer = mailer;
        this.rotation = rotation;
        this.clock = clock;
    }

    @Override
    public Optional<Report> latest(String cluster) {
        return Optional.ofNullable(reports.get(cluster));
    }

    @StopGated
    @Scheduled(every = "${rulescaler.health.tick:1s}", delayed = "5s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void tick() {
        Instant now = clock.instant();
        // the specs only: a ClusterView per cluster cost three node queries each, every second (idle CPU, docs/scaling.md)
        for (ClusterSpec spec : clusters.runningSpecs()) {
            ClusterSpec.Health health = spec.health();
            if (health == null || (health.http() == null && health.heartbeat() == null)) {
                continue;
            }
            String name = spec.name();
            Instant next = due.get(name);
            if (next != null && now.isBefore(next)) {
                continue;
            }
            int interval = health.http() == null ? 5 : health.http().interval();
            due.put(name, now.plusSeconds(interval));
            try {
                if (ownership.ownsSession(name)) {
                    round(spec, health);
                } else {
                    reports.remove(name);
                }
            } catch (RuntimeException e) {
                LOG.warnf("health round failed cluster=%s error=%s", name, e.toString());
            }
        }
    }

    /** One round for one cluster: probe, judge, apply, move load balancer members; mails once when the per-hour cap holds a replacement back. */
    void round(ClusterSpec spec, ClusterSpec.Health health) {
        String cluster = spec.name();
        List<HealthStore.Target> targets = store.targets(cluster);
        Map<Long, CompletableFuture<String>> probes = new ConcurrentHashMap<>();
        for (HealthStore.Target t : targets) {
            if (health.http() != null) {
                probes.put(t.id(), probe(health.http(), t));
            }
        }
        Instant now = clock.instant();
        List<HealthStore.Finding> findings = new ArrayList<>();
        for (HealthStore.Target t : targets) {
            String failure = probes.containsKey(t.id()) ? probes.get(t.id()).join() : null;
            if (probes.containsKey(t.id())) {
                lastProbe.put(t.id(), failure == null ? "passed" : failure);
            }
            int[] c = counts.computeIfAbsent(t.id(), k -> new int[2]);
            if (failure == null) {
                c[0] = 0;
                c[1]++;
            } else {
                c[0]++;
                c[1] = 0;
            }
            String why = null;
            if (health.http() != null && c[0] >= health.http().failuresToFail()) {
                why = "HTTP probe failed " + c[0] + " times in a row: " + failure;
            }
            if (health.heartbeat() != null) {
                Instant last = t.lastHeartbeat() == null || (t.activeSince() != null && t.activeSince().isAfter(t.lastHeartbeat()))
                        ? t.activeSince() : t.lastHeartbeat();
                long silent = last == null ? 0 : Duration.between(last, now).toSeconds();
                if (silent >= health.heartbeat().lostAfterSeconds()) {
                    why = (why == null ? "" : why + "; ") + "no heartbeat for " + silent + " s (lostAfterSeconds "
                            + health.heartbeat().lostAfterSeconds() + ")";
                }
            }
            boolean inGrace = t.activeSince() != null && now.isBefore(t.activeSince().plusSeconds(health.grace()));
            boolean unhealthy = why != null && !inGrace && t.state() == NodeState.ACTIVE;
            boolean healthy = why == null && t.state() == NodeState.UNHEALTHY
                    && (health.http() == null || c[1] >= health.http().passesToPass());
            if (unhealthy || healthy) {
                findings.add(new HealthStore.Finding(t.id(), unhealthy, healthy, why));
            }
        }
        Set<Long> probed = targets.stream().map(HealthStore.Target::id).collect(java.util.stream.Collectors.toSet());
        Set<Long> before = probedIds.put(cluster, probed);
        if (before != null) { // forget nodes of this cluster no longer probed; other clusters' counts stay
            before.stream().filter(id -> !probed.contains(id)).forEach(id -> {
                counts.remove(id);
                lastProbe.remove(id);
            });
        }
        HealthStore.Outcome out = store.apply(cluster, health, findings, capMailed.containsKey(cluster));
        rotation.follow(spec, out.after(), probed, out.recovered());
        reports.put(cluster, report(now, out));
        if (out.heldBack() == null) {
            if (out.replaceOperation() != null) {
                capMailed.remove(cluster);
            }
            return;
        }
        if (capMailed.putIfAbsent(cluster, out.heldBack()) == null) {
            try {
                mailer.sendClusterNotice(cluster, "unhealthy nodes are no longer replaced",
                        "The health checks of cluster " + cluster + " found unhealthy nodes, but rulescaler stopped replacing them.\n\n"
                                + out.heldBack() + "\n");
            } catch (Exception e) {
                capMailed.remove(cluster);
                LOG.warnf("health cap mail not sent cluster=%s problem=%s", cluster, e.toString());
            }
        }
    }

    private Report report(Instant at, HealthStore.Outcome out) {
        List<NodeHealth> nodes = new ArrayList<>();
        List<String> unhealthy = new ArrayList<>();
        for (HealthStore.Target t : out.after()) {
            int[] c = counts.getOrDefault(t.id(), new int[2]);
            nodes.add(new NodeHealth(t.name(), t.state().label(), lastProbe.get(t.id()), c[0], c[1], t.lastHeartbeat(),
                    rotation.isOut(t.id()), t.healthReason()));
            if (t.state() == NodeState.UNHEALTHY) {
                unhealthy.add(t.name());
            }
        }
        return new Report(at, nodes, unhealthy, out.replacing(), out.replacedLastHour(), out.perHour(), out.atOnce(), out.waiting());
    }

    /** GETs the node's health URL; null when it answered 2xx or 3xx in time, else what went wrong. */
    private CompletableFuture<String> probe(ClusterSpec.HttpCheck check, HealthStore.Target t) {
        String host = check.host();
        if (host == null) {
            if (t.address() == null || t.address().isBlank()) {
                return CompletableFuture.completedFuture("node has no address");
            }
            try {
                host = SshTarget.parse(t.address(), "-", 22).host(); // a byon address carries its SSH port
            } catch (IllegalArgumentException e) {
                return CompletableFuture.completedFuture("bad node address " + t.address() + ": " + e.getMessage());
            }
        }
        String hostPart = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
        URI uri;
        try {
            uri = URI.create("http://" + hostPart + ":" + check.port() + check.path().replace("{node}", t.name()));
        } catch (IllegalArgumentException e) {
            return CompletableFuture.completedFuture("bad health URL: " + e.getMessage());
        }
        HttpRequest req = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(check.timeout())).GET().build();
        return http.sendAsync(req, HttpResponse.BodyHandlers.discarding())
                .orTimeout(check.timeout() + 1L, java.util.concurrent.TimeUnit.SECONDS)
                .handle((resp, err) -> {
                    if (err != null) {
                        Throwable cause = err.getCause() != null ? err.getCause() : err;
                        return "GET " + uri + ": " + cause.getClass().getSimpleName()
                                + (cause.getMessage() == null ? "" : " " + cause.getMessage());
                    }
                    return resp.statusCode() < 400 ? null : "GET " + uri + " answered " + resp.statusCode();
                });
    }
}
