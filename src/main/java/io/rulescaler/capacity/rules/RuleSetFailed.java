package io.rulescaler.capacity.rules;

import java.util.List;

/** CDI event (async) fired when a rule set fails to compile; the previous rules keep deciding. */
public record RuleSetFailed(String ruleSet, List<String> errors) {
}
