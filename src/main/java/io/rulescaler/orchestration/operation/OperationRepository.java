package io.rulescaler.orchestration.operation;

import io.quarkus.hibernate.orm.panache.PanacheRepository;
import io.rulescaler.orchestration.task.TaskEntity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.util.List;
import java.util.Optional;

/** Operation rows and the task rows under them. */
@ApplicationScoped
public class OperationRepository implements PanacheRepository<OperationEntity> {

    /** The operation, locked for update: completions of one operation are serialised on this row. */
    public OperationEntity lock(long id) {
        return getEntityManager().find(OperationEntity.class, id, LockModeType.PESSIMISTIC_WRITE);
    }

    public Optional<OperationEntity> activeFor(String cluster) {
        return find("activeCluster", cluster).firstResultOptional();
    }

    public List<TaskEntity> tasks(long operationId) {
        return getEntityManager().createQuery("from TaskEntity where operationId = ?1 order by seq, id", TaskEntity.class)
                .setParameter(1, operationId).getResultList();
    }

    public TaskEntity task(long taskId) {
        return getEntityManager().find(TaskEntity.class, taskId);
    }
}
