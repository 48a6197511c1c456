package io.rulescaler.handoff;

import io.quarkus.hibernate.orm.panache.PanacheRepository;
import jakarta.enterprise.context.ApplicationScoped;

/** Scale request rows; {@link ScaleRequests} is the hand-off's API over them. */
@ApplicationScoped
public class ScaleRequestRepository implements PanacheRepository<ScaleRequestEntity> {
}
