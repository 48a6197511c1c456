package io.rulescaler.error;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Rule text that does not compile, so nothing was written; carries every error with its position. */
public final class InvalidRulesException extends DomainException {

    /** {@code errors} as the API shows them; {@code formatted} the same as "file:line:column: message". */
    public InvalidRulesException(String detail, String field, List<?> errors, List<String> formatted) {
        super(null, detail, field, members(errors, formatted));
    }

    private static Map<String, Object> members(List<?> errors, List<String> formatted) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("errors", errors);
        m.put("formatted", formatted);
        return m;
    }
}
