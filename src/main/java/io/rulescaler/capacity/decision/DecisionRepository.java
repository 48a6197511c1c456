package io.rulescaler.capacity.decision;

import io.quarkus.hibernate.orm.panache.PanacheRepository;
import jakarta.enterprise.context.ApplicationScoped;

/** Decision rows (the named queries of the evaluation sit on {@link DecisionEntity}). */
@ApplicationScoped
public class DecisionRepository implements PanacheRepository<DecisionEntity> {
}
