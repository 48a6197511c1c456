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
        Instant t = fast(s);
        if (t != null) {
            return t;
        }
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

    /**
     * The usual shape read without {@code DateTimeFormatter} (which was a tenth of the webhook's CPU, every time
     * parsed twice): {@code yyyy-MM-ddTHH:mm:ss[.f…f](Z|±HH:mm)} with every field in its plain range and the result
     * storable. Anything else (a leap second, an odd offset, a bad date) is null and goes the formatter's way, so the
     * answers, errors included, are the formatter's. Same instants: {@code AlertValidationTest}.
     */
    static Instant fast(String s) {
        int n = s.length();
        if (n < 20 || s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(10) != 'T' || s.charAt(13) != ':' || s.charAt(16) != ':') {
            return null;
        }
        int year = num(s, 0, 4);
        int month = num(s, 5, 2);
        int day = num(s, 8, 2);
        int hour = num(s, 11, 2);
        int minute = num(s, 14, 2);
        int second = num(s, 17, 2);
        if (year < 0 || month < 1 || month > 12 || day < 1 || day > 28 && day > java.time.YearMonth.of(year, month).lengthOfMonth()
                || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) {
            return null;
        }
        int i = 19;
        int nanos = 0;
        if (s.charAt(i) == '.') {
            int digits = 0;
            for (i++; i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9'; i++) {
                if (++digits > 9) {
                    return null;
                }
                nanos = nanos * 10 + (s.charAt(i) - '0');
            }
            if (digits == 0) {
                return null;
            }
            for (int k = digits; k < 9; k++) {
                nanos *= 10;
            }
        }
        int offset;
        if (i == n - 1 && s.charAt(i) == 'Z') {
            offset = 0;
        } else if (i == n - 6 && (s.charAt(i) == '+' || s.charAt(i) == '-') && s.charAt(i + 3) == ':') {
            int oh = num(s, i + 1, 2);
            int om = num(s, i + 4, 2);
            if (oh < 0 || oh > 17 || om < 0 || om > 59 || oh == 0 && om == 0 && s.charAt(i) == '-') {
                return null;
            }
            offset = (s.charAt(i) == '-' ? -1 : 1) * (oh * 3600 + om * 60);
        } else {
            return null;
        }
        long epochSecond = java.time.LocalDate.of(year, month, day).toEpochDay() * 86_400 + hour * 3600 + minute * 60 + second - offset;
        Instant t = Instant.ofEpochSecond(epochSecond, nanos);
        return t.isAfter(LAST_STORABLE) ? null : t;
    }

    /** The decimal number in {@code s} at {@code from}, {@code width} digits; -1 when one is not a digit. */
    private static int num(String s, int from, int width) {
        int v = 0;
        for (int i = from; i < from + width; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }
}
