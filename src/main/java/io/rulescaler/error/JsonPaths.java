package io.rulescaler.error;

import com.fasterxml.jackson.databind.JsonMappingException;

/**
 * Renders Jackson's reference path as a dotted field name ("size.max", "notify[2]"), so that an
 * {@link InvalidInputException} names the field a person has to fix.
 */
public final class JsonPaths {

    private JsonPaths() {
    }

    public static String of(JsonMappingException e) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference r : e.getPath()) {
            if (r.getFieldName() != null) {
                if (!sb.isEmpty()) {
                    sb.append('.');
                }
                sb.append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                sb.append('[').append(r.getIndex()).append(']');
            }
        }
        return sb.toString();
    }

    /**
     * Jackson's message without its "(start marker at [Source: REDACTED ...; line: 1, column: 1])"
     * noise, which names no source and repeats the position the caller already gives.
     */
    public static String withoutSource(String message) {
        if (message == null) {
            return "unreadable";
        }
        return message.replaceAll("\\s*\\(start marker at \\[Source: [^\\]]*\\]\\)", "")
                .replaceAll("\\s*at \\[Source: [^\\]]*\\]", "").strip();
    }
}
