package io.rulescaler.action;

import java.util.Map;

/** What a finished action reports: a short message and outputs later steps can use. */
public record ActionResult(String message, Map<String, String> outputs) {

    public static ActionResult ok(String message) {
        return new ActionResult(message, Map.of());
    }

    public static ActionResult ok(String message, Map<String, String> outputs) {
        return new ActionResult(message, Map.copyOf(outputs));
    }
}
