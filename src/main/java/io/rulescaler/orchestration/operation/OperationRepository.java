package io.rulescaler.orchestration.operation;

import io.quarkus.hibernate.orm.panache.PanacheRepository;
import io.rulescaler.orchestration.task.TaskEntity;
import io.rulescaler.orchestration.task.TaskRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.util.List;
import java.util.Optional;

/** Operation rows and the task rows under them. */
@ApplicationScoped
public class OperationRepository implements PanacheRepository<OperationEntity> {

    private final TaskRepository tasks;

    OperationRepository(TaskRepository tasks) {
        this.tasks = tasks;
    }

    /** The operation, locked for update: completions of one operation are serialised on this row. */
    public OperationEntity lock(long id) {
        return getEntityManager().find(OperationEntity.class, id, LockModeType.PESSIMISTIC_WRITE);
    }

    public Optional<OperationEntity> activeFor(String cluster) {
        return find("activeCluster", cluster).firstResultOptional();
    }

    public List<TaskEntity> tasks(long operationId) {
        return tasks.list("operationId = ?1 order by seq, id", operationId);
    }

    public TaskEntity task(long taskId) {
        return tasks.findById(taskId);
    }
}
