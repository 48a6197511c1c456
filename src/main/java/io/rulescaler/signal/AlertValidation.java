package io.rulescaler.signal;

import io.rulescaler.error.InvalidInputException;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * Checks an Alertmanager payload before anything is stored, naming the first bad field, so a
 * malformed delivery is refused with a 400 and writes nothing; also parses the RFC 3339 times the
 * other signal endpoints receive.
 */
public final class AlertValidation {

    private AlertValidation() {
    }

    /** Checks the payload shape and names the first bad field; throws a 400 problem. */
    public static void validate(AlertmanagerPayload p) {
        if (p == null) {
            throw new InvalidInputException("the body must be an Alertmanager webhook payload (version 4)", null);
        }
        if (!"4".equals(p.version())) {
            throw new InvalidInputException("only webhook payload version \"4\" is understood, got " + p.version(), "version");
        }
        if (p.alerts() == null) {
            throw new InvalidInputException("alerts is missing", "alerts");
        }
        for (int i = 0; i < p.alerts().size(); i++) {
            AlertmanagerPayload.Item a = p.alerts().get(i);
            String at = "alerts[" + i + "].";
            if (a == null) {
                throw new InvalidInputException("alert is null", "alerts[" + i + "]");
            }
            if (!"firing".equals(a.status()) && !"resolved".equals(a.status())) {
                throw new InvalidInputException("status must be firing or resolved", at + "status");
            }
            if (a.fingerprint() == null || a.fingerprint().isBlank() || a.fingerprint().length() > 128) {
                throw new InvalidInputException("fingerprint is missing", at + "fingerprint");
            }
            if (a.labels() == null) {
                throw new InvalidInputException("labels are missing", at + "labels");
            }
            parse(a.startsAt(), at + "startsAt");
            if (a.endsAt() != null) {
                parse(a.endsAt(), at + "endsAt");
            }
        }
    }

    /** The latest time a DATETIME column holds; a later one cannot be stored. */
    private static final Instant LAST_STORABLE = Instant.parse("9999-12-31T23:59:59Z");

    static Instant parse(String s, String field) {
        if (s == null || s.isBlank()) {
            throw new InvalidInputException(field + " is missing", field);
        }
        Instant t;
        try {
            t = Instant.parse(s);
        } catch (DateTimeParseException e) {
            try {
                t = java.time.OffsetDateTime.parse(s).toInstant();
            } catch (DateTimeParseException e2) {
                throw new InvalidInputException(field + " must be an RFC 3339 time, got '" + s + "'", field);
            }
        }
        if (t.isAfter(LAST_STORABLE)) {
            throw new InvalidInputException(field + " " + s + " is past the year 9999", field);
        }
        return t;
    }
}
