package io.rulescaler.handoff;

import io.quarkus.hibernate.orm.panache.PanacheRepository;
import jakarta.enterprise.context.ApplicationScoped;

/** Chain run rows; {@link ChainRuns} is the hand-off's API over them. */
@ApplicationScoped
public class ChainRunRepository implements PanacheRepository<ChainRunEntity> {
}
