package io.rulescaler.orchestration.task;

import io.quarkus.hibernate.orm.panache.PanacheRepository;
import jakarta.enterprise.context.ApplicationScoped;

/** Task rows: the Panache repository the task queue, the operation's progress and its views query through. */
@ApplicationScoped
public class TaskRepository implements PanacheRepository<TaskEntity> {
}
