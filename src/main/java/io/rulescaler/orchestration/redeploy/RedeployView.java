package io.rulescaler.orchestration.redeploy;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.Map;

/** A redeploy as the API shows it: its policy, the spec versions and parameters, its operations and where it stands. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RedeployView(long id, String cluster, String state, long operationId, Long rollbackOperationId, String strategy,
                           int batchSize, int batches, int maxUnavailable, int healthGateSeconds, String onFailure,
                           int fromSpecVersion, int toSpecVersion, Map<String, String> parameters,
                           Map<String, String> previousParameters, String reason, String requestedBy, String detail,
                           Instant createdAt, Instant updatedAt, Instant finishedAt) {

    static RedeployView of(RedeployEntity r) {
        return new RedeployView(r.id, r.clusterName, r.state.label(), r.operationId, r.rollbackOperationId, r.strategy,
                r.batchSize, r.batches, r.maxUnavailable, r.healthGateSeconds, r.onFailure, r.fromSpecVersion, r.toSpecVersion,
                io.rulescaler.orchestration.chain.ChainJson.parameters(r.parametersJson),
                io.rulescaler.orchestration.chain.ChainJson.parameters(r.previousParametersJson), r.reason, r.requestedBy,
                r.detail, r.createdAt, r.updatedAt, r.finishedAt);
    }
}
