package io.rulescaler.capacity.rules;

/** CDI event (async) fired the first time a cluster's session stops a rule for reaching a cap; it is mailed. */
public record RuleStopped(String cluster, String ruleSet, String rule, String file, String cause) {
}
