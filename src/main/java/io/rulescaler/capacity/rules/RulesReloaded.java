package io.rulescaler.capacity.rules;

import io.rulescaler.capacity.engine.CompiledRules;

/** CDI event fired after a rule set compiled and replaced the running one. */
public record RulesReloaded(String ruleSet, CompiledRules rules) {
}
