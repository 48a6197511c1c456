package io.rulescaler.signal;

import io.rulescaler.capacity.CapacityMetrics;
import io.rulescaler.capacity.fact.Sample;
import io.rulescaler.cluster.ClusterRepository;
import io.rulescaler.error.InvalidInputException;
import io.rulescaler.error.NotFoundException;
import io.rulescaler.security.Roles;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * Pushed samples: a batch is checked whole (any bad sample refuses the batch, naming its field),
 * then each cluster's samples go to its session in one task ({@link SignalRouter}: stored as one
 * row per cluster, all in one transaction, so a new owner or a restart rebuilds the windows).
 */
@Path("/api/v1/samples")
public class SampleResource {

    private final SignalRouter router;
    private final ClusterRepository clusters;
    private final SignalConfig config;
    private final CapacityMetrics metrics;
    private final Clock clock;

    public SampleResource(SignalRouter router, ClusterRepository clusters, SignalConfig config, CapacityMetrics metrics, Clock clock) {
        this.router = router;
        this.clusters = clusters;
        this.config = config;
        this.metrics = metrics;
        this.clock = clock;
    }

    /** Body: {"samples": [{"cluster","metric","value","timestamp"?,"labels"?}]}. */
    public record Batch(List<Item> samples) {
    }

    /** One pushed sample; timestamp is RFC 3339 and defaults to the time of arrival. */
    public record Item(String cluster, String metric, Double value, String timestamp, Map<String, String> labels) {
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.WEBHOOK)
    @Operation(summary = "Push a batch of samples: {\"samples\":[{\"cluster\":\"web\",\"metric\":\"cpu\",\"value\":93.5}]}")
    public Response push(Batch batch) {
        if (batch == null || batch.samples() == null) {
            throw new InvalidInputException("send {\"samples\": [...]}", "samples");
        }
        if (batch.samples().size() > config.maxSamplesPerBatch()) {
            throw new InvalidInputException("at most " + config.maxSamplesPerBatch() + " samples per batch", "samples");
        }
        Instant now = clock.instant();
        Map<String, List<Sample>> byCluster = new LinkedHashMap<>();
        for (int i = 0; i < batch.samples().size(); i++) {
            Item s = batch.samples().get(i);
            String at = "samples[" + i + "].";
            if (s == null) {
                throw new InvalidInputException("sample is null", "samples[" + i + "]");
            }
            if (s.cluster() == null || !s.cluster().matches(io.rulescaler.cluster.ClusterSpec.NAME_PATTERN)) {
                throw new InvalidInputException("cluster must name a cluster", at + "cluster");
            }
            if (s.metric() == null || !s.metric().matches("[a-zA-Z_:][a-zA-Z0-9_:]{0,127}")) {
                throw new InvalidInputException("metric must be a metric-like name", at + "metric");
            }
            if (s.value() == null || s.value().isNaN() || s.value().isInfinite()) {
                throw new InvalidInputException("value must be a finite number", at + "value");
            }
            Instant t = s.timestamp() == null ? now
                    : SignalTime.within(AlertValidation.parse(s.timestamp(), at + "timestamp"), now, config, at + "timestamp");
            byCluster.computeIfAbsent(s.cluster(), k -> new ArrayList<>()).add(new Sample(s.cluster(), s.metric(), s.labels(), s.value(), t));
        }
        // one query for every cluster of the batch (was one per cluster: 100 round trips for a batch over 100 clusters)
        Set<String> known = QuarkusTransaction.requiringNew().call(() -> clusters.existing(byCluster.keySet()));
        for (int i = 0; i < batch.samples().size(); i++) {
            if (!known.contains(batch.samples().get(i).cluster())) {
                throw new NotFoundException("cluster '" + batch.samples().get(i).cluster()
                        + "' does not exist; nothing of this batch was taken", "samples[" + i + "].cluster");
            }
        }
        router.samples(byCluster);
        metrics.samples(batch.samples().size());
        return Response.accepted(Map.of("accepted", batch.samples().size(), "clusters", byCluster.keySet())).build();
    }
}
