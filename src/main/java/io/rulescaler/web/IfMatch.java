package io.rulescaler.web;

import io.rulescaler.error.InvalidInputException;
import java.util.OptionalLong;

/** Reads the version a client expects from an If-Match header ("3", W/"3" or *). */
public final class IfMatch {

    private IfMatch() {
    }

    public static OptionalLong parse(String header) {
        if (header == null || header.isBlank() || header.trim().equals("*")) {
            return OptionalLong.empty();
        }
        String v = header.trim();
        if (v.startsWith("W/")) {
            v = v.substring(2);
        }
        v = v.replace("\"", "");
        try {
            return OptionalLong.of(Long.parseLong(v));
        } catch (NumberFormatException e) {
            throw new InvalidInputException("If-Match must be the ETag of a version, like \"3\"; got " + header, "If-Match");
        }
    }
}
