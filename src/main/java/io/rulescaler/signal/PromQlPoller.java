package io.rulescaler.signal;

import io.rulescaler.boot.StopGated;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import io.rulescaler.capacity.CapacityMetrics;
import io.rulescaler.capacity.ClusterSessions;
import io.rulescaler.capacity.fact.MetricsStale;
import io.rulescaler.capacity.fact.Sample;
import io.rulescaler.cluster.ClusterService;
import io.rulescaler.cluster.ClusterSpec;
import io.micrometer.core.instrument.Gauge;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * Runs each cluster's named PromQL queries on their intervals and turns the results into Samples
 * named after the query. When Prometheus fails or answers nothing, the cluster's stale policy
 * applies: {@code hold} puts a MetricsStale fact in the session (rules should not decide), and
 * {@code fallback} feeds the configured fallback value instead.
 *
 * <pre>
 *   fresh ──(error or empty)──> stale: hold → MetricsStale fact | fallback → Sample(fallbackValue)
 *   stale ──(answer again)────> fresh: MetricsStale retracted
 * </pre>
 */
@ApplicationScoped
public class PromQlPoller {

    private static final Logger LOG = Logger.getLogger(PromQlPoller.class);

    private final SignalConfig config;
    private final PrometheusClient prometheus;
    private final ClusterSessions sessions;
    private final SignalRouter router;
    private final io.rulescaler.capacity.lease.SessionLeases leases;
    private final ClusterService clusters;
    private final CapacityMetrics metrics;
    private final Clock clock;
    private final Map<String, QueryStatus> status = new ConcurrentHashMap<>();
    private volatile List<ClusterSpec> specs;
    private volatile Instant specsReadAt;
    /** Counts cluster changes; {@link #specs} holds the count its read began at, so a change during a read is not lost. */
    private final java.util.concurrent.atomic.AtomicLong clusterChanges = new java.util.concurrent.atomic.AtomicLong();
    private volatile long specsChanges = -1;
    private final ExecutorService workers = Executors.newFixedThreadPool(2, r -> {
        Thread t = new Thread(r, "promql-poller");
        t.setDaemon(true);
        return t;
    });

    public PromQlPoller(SignalConfig config, PrometheusClient prometheus, ClusterSessions sessions, ClusterService clusters,
                        CapacityMetrics metrics, Clock clock, SignalRouter router, io.rulescaler.capacity.lease.SessionLeases leases) {
        this.config = config;
        this.prometheus = prometheus;
        this.sessions = sessions;
        this.router = router;
        this.leases = leases;
        this.clusters = clusters;
        this.metrics = metrics;
        this.clock = clock;
    }

    /** Where one query stands, for the status API. */
    public static final class QueryStatus {
        public final String cluster;
        public final String query;
        public volatile Instant lastRun;
        public volatile Instant lastSuccess;
        public volatile String lastError;
        public volatile boolean stale;
        public volatile int lastPoints;
        volatile boolean running;
        final AtomicInteger staleGauge = new AtomicInteger();

        QueryStatus(String cluster, String query) {
            this.cluster = cluster;
            this.query = query;
        }
    }

    public List<QueryStatus> status() {
        return new ArrayList<>(status.values());
    }

    @StopGated
    @Scheduled(every = "1s", delayed = "3s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void tick() {
        if (!config.poller().enabled() || config.poller().prometheusUrl().isEmpty()) {
            return;
        }
        String url = config.poller().prometheusUrl().get();
        Instant now = clock.instant();
        List<ClusterSpec> specs = specs(now);
        for (ClusterSpec spec : specs) {
            if (spec.scaling() == null || spec.scaling().queries() == null || !leases.owns(spec.name())) {
                continue; // only the instance that owns the cluster's session polls for it
            }
            for (ClusterSpec.Query q : spec.scaling().queries()) {
                QueryStatus st = status.computeIfAbsent(spec.name() + "/" + q.name(), k -> register(spec.name(), q.name()));
                long every = q.intervalSeconds() == null ? config.poller().defaultInterval().toSeconds() : q.intervalSeconds();
                if (st.running || (st.lastRun != null && st.lastRun.plusSeconds(every).isAfter(now))) {
                    continue;
                }
                st.running = true;
                st.lastRun = now;
                workers.execute(() -> {
                    try {
                        poll(url, spec, q, st);
                    } finally {
                        st.running = false;
                    }
                });
            }
        }
    }

    /** Cluster specs with queries, read again after a cluster change and at least every minute. */
    private List<ClusterSpec> specs(Instant now) {
        long changesBefore = clusterChanges.get();
        if (specs == null || specsChanges != changesBefore || specsReadAt == null || specsReadAt.plusSeconds(60).isBefore(now)) {
            specs = QuarkusTransaction.requiringNew().call(() -> clusters.runningSpecs().stream() // specs only: no node counts
                    .filter(sp -> sp.scaling() != null && sp.scaling().queries() != null && !sp.scaling().queries().isEmpty())
                    .toList());
            specsReadAt = now;
            // a cluster changed while this read ran may be missing from it: the next tick reads again
            specsChanges = changesBefore;
        }
        return specs;
    }

    void onClusterChanged(@jakarta.enterprise.event.Observes(during = jakarta.enterprise.event.TransactionPhase.AFTER_SUCCESS)
                          io.rulescaler.cluster.ClusterChanged changed) {
        clusterChanges.incrementAndGet();
        if (changed.deleted()) {
            status.keySet().removeIf(k -> k.startsWith(changed.name() + "/"));
        }
    }

    /** Runs one query now against {@code url} and applies the result or the stale policy. */
    public void poll(String url, ClusterSpec spec, ClusterSpec.Query q, QueryStatus st) {
        String cluster = spec.name();
        List<PrometheusClient.Point> points;
        String failure;
        try {
            points = prometheus.query(url, q.promql());
            failure = points.isEmpty() ? "the query returned no data" : null;
        } catch (Exception e) {
            points = List.of();
            failure = e.getClass().getSimpleName() + ": " + e.getMessage();
        }
        metrics.poll(cluster, q.name(), failure == null);
        if (failure == null) {
            st.lastSuccess = clock.instant();
            st.lastError = null;
            st.lastPoints = points.size();
            List<Sample> samples = points.stream()
                    .map(p -> new Sample(cluster, q.name(), p.labels(), p.value(), p.at())).toList();
            metrics.samples(samples.size());
            if (st.stale) {
                st.stale = false;
                st.staleGauge.set(0);
                LOG.infof("poller fresh again cluster=%s query=%s", cluster, q.name());
                sessions.stale(cluster, q.name(), null);
            }
            router.samples(cluster, samples);
            return;
        }
        st.lastError = failure;
        st.lastPoints = 0;
        boolean fallback = spec.scaling() != null && "fallback".equals(spec.scaling().stalePolicy())
                && spec.scaling().fallbackValue() != null;
        if (fallback) {
            Sample s = new Sample(cluster, q.name(), Map.of("fallback", "true"), spec.scaling().fallbackValue(), clock.instant());
            router.samples(cluster, List.of(s));
            if (!st.stale) {
                LOG.warnf("poller stale cluster=%s query=%s policy=fallback value=%s reason=\"%s\"", cluster, q.name(),
                        spec.scaling().fallbackValue(), failure);
            }
            st.stale = true;
            st.staleGauge.set(1);
            return;
        }
        if (!st.stale) {
            LOG.warnf("poller stale cluster=%s query=%s policy=hold reason=\"%s\"", cluster, q.name(), failure);
            st.stale = true;
            st.staleGauge.set(1);
            sessions.stale(cluster, q.name(), new MetricsStale(cluster, q.name(), clock.instant(), failure));
        }
    }

    private QueryStatus register(String cluster, String query) {
        QueryStatus st = new QueryStatus(cluster, query);
        Gauge.builder("rulescaler.poller.stale", st.staleGauge, AtomicInteger::get)
                .description("1 while a polled query has no fresh answer").tag("cluster", cluster).tag("query", query)
                .register(metrics.registry());
        return st;
    }

    /** A status entry for a query run outside the schedule (tests, one-off polls). */
    public QueryStatus statusOf(String cluster, String query) {
        return status.computeIfAbsent(cluster + "/" + query, k -> register(cluster, query));
    }
}
