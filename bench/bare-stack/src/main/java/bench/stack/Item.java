package bench.stack;

import io.quarkus.hibernate.orm.panache.PanacheEntity;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;

/** The one table of the bare stack, so Hibernate, Panache and Flyway do real work at start. */
@Entity
@Table(name = "item")
public class Item extends PanacheEntity {

    public String name;
}
