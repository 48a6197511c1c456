package io.rulescaler.capacity.rules;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;

/** A rule a cluster's session stopped for reaching a cap (one row per cluster and rule; see {@link DisabledRules}). */
@Entity
@Table(name = "disabled_rule")
@IdClass(DisabledRuleEntity.Key.class)
public class DisabledRuleEntity {

    /** The primary key: cluster and rule. */
    public static class Key implements Serializable {
        public String clusterName;
        public String ruleName;

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Objects.equals(clusterName, k.clusterName) && Objects.equals(ruleName, k.ruleName);
        }

        @Override
        public int hashCode() {
            return Objects.hash(clusterName, ruleName);
        }
    }

    @Id
    @Column(name = "cluster_name")
    public String clusterName;

    @Id
    @Column(name = "rule_name")
    public String ruleName;

    @Column(name = "rule_set", nullable = false)
    public String ruleSet;

    @Column(name = "rule_file")
    public String ruleFile;

    @Column(name = "file_digest")
    public String fileDigest;

    @Column(nullable = false)
    public String cause;

    @Column(name = "disabled_at", nullable = false)
    public Instant disabledAt;
}
