package io.rulescaler.cluster;

import io.quarkus.hibernate.orm.panache.PanacheRepository;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

/** Cluster rows by name. */
@ApplicationScoped
public class ClusterRepository implements PanacheRepository<ClusterEntity> {

    public Optional<ClusterEntity> findByName(String name) {
        return find("name", name).firstResultOptional();
    }
}
