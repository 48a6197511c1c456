package io.rulescaler.capacity.rules;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;

/** Rows of {@code disabled_rule}. */
@ApplicationScoped
public class DisabledRuleRepository implements PanacheRepositoryBase<DisabledRuleEntity, DisabledRuleEntity.Key> {
}
