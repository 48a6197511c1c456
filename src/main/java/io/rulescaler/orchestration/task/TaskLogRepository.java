package io.rulescaler.orchestration.task;

import io.quarkus.hibernate.orm.panache.PanacheRepository;
import jakarta.enterprise.context.ApplicationScoped;

/** Task log rows (the output of each attempt, in chunks). */
@ApplicationScoped
public class TaskLogRepository implements PanacheRepository<TaskLogEntity> {
}
