package io.rulescaler.capacity.rules;

/** CDI event fired after an admin enabled stopped rules of a set again, so this instance's sessions take them back. */
public record RulesEnabled(String ruleSet) {
}
