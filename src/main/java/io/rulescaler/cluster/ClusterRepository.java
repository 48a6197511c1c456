package io.rulescaler.cluster;

import io.quarkus.hibernate.orm.panache.PanacheRepository;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Cluster rows by name. */
@ApplicationScoped
public class ClusterRepository implements PanacheRepository<ClusterEntity> {

    public Optional<ClusterEntity> findByName(String name) {
        return find("name", name).firstResultOptional();
    }

    /** Which of these names are clusters, in one query per 1 000 names. */
    public Set<String> existing(Collection<String> names) {
        List<String> all = List.copyOf(names);
        Set<String> found = new HashSet<>();
        for (int from = 0; from < all.size(); from += 1000) {
            found.addAll(find("select name from ClusterEntity where name in ?1", all.subList(from, Math.min(all.size(), from + 1000)))
                    .project(String.class).list());
        }
        return found;
    }
}
