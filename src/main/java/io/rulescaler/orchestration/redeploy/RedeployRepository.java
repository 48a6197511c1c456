package io.rulescaler.orchestration.redeploy;

import io.quarkus.hibernate.orm.panache.PanacheRepository;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;

/** Redeploy rows: by the operation that rolls one out or back, and a cluster's newest first. */
@ApplicationScoped
public class RedeployRepository implements PanacheRepository<RedeployEntity> {

    /** The redeploy whose rollout or rollback operation this is. */
    public Optional<RedeployEntity> byOperation(long operationId) {
        return find("operationId = ?1 or rollbackOperationId = ?1", operationId).firstResultOptional();
    }

    public List<RedeployEntity> ofCluster(String cluster, int limit) {
        return find("clusterName = ?1 order by id desc", cluster).page(0, limit).list();
    }

    /** The cluster's redeploy still rolling out or back, if any. */
    public Optional<RedeployEntity> activeFor(String cluster) {
        return find("clusterName = ?1 and state in ?2", cluster,
                List.of(RedeployEntity.State.RUNNING, RedeployEntity.State.ROLLING_BACK)).firstResultOptional();
    }
}
