package io.rulescaler.signal;

import java.text.SimpleDateFormat;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.Date;
import java.util.Map;
import java.util.TimeZone;

/**
 * The webhook store's values as SQL text, built by hand because the driver's own conversions were a
 * third of the store's CPU (a {@code SimpleDateFormat} and a {@code Calendar} per {@code Timestamp}
 * parameter, Jackson per label map): a time as the {@code DATETIME(6)} text the driver writes for a
 * {@code Timestamp} and MariaDB's {@code DATE_FORMAT(…, '%Y-%m-%d %H:%i:%s.%f')} reads back, and a
 * label map as the JSON Jackson writes for it. Measured: bench/capacity-webhook.sh,
 * docs/bench-capacity.md "Webhook CPU per delivery (2026-12-07)".
 */
final class AlertText {

    /** The read-back format of a {@code DATETIME(6)} column that gives {@link #dateTime} exactly. */
    static final String SQL_FORMAT = "'%Y-%m-%d %H:%i:%s.%f'";
    /**
     * From here on the driver's {@code java.util} calendar and {@code java.time} agree: past the Julian-Gregorian
     * cutover, and within the zone history {@code java.util.TimeZone} keeps (from 1900; before, it has no local mean time).
     */
    private static final long SAME_IN_BOTH = Instant.parse("1901-01-01T00:00:00Z").getEpochSecond();
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private AlertText() {
    }

    /**
     * {@code t} (whole microseconds) as local date-time text in {@code zone}, always with six fraction digits:
     * the value the MariaDB driver (default settings: the JVM's zone, {@code java.util} calendar) writes for
     * {@code Timestamp.from(t)}.
     */
    static String dateTime(Instant t, ZoneId zone) {
        if (t.getEpochSecond() < SAME_IN_BOTH) {
            return asDriverDoes(t, zone);
        }
        LocalDateTime l = LocalDateTime.ofInstant(t, zone);
        if (l.getYear() > 9999) {
            return asDriverDoes(t, zone);
        }
        char[] c = new char[26];
        digits(c, 0, l.getYear(), 4);
        c[4] = '-';
        digits(c, 5, l.getMonthValue(), 2);
        c[7] = '-';
        digits(c, 8, l.getDayOfMonth(), 2);
        c[10] = ' ';
        digits(c, 11, l.getHour(), 2);
        c[13] = ':';
        digits(c, 14, l.getMinute(), 2);
        c[16] = ':';
        digits(c, 17, l.getSecond(), 2);
        c[19] = '.';
        digits(c, 20, l.getNano() / 1000, 6);
        return new String(c);
    }

    /** The driver's own way (hybrid Julian-Gregorian calendar, {@code java.util} zones), for the times before 1901 and after 9999. */
    private static String asDriverDoes(Instant t, ZoneId zone) {
        SimpleDateFormat f = new SimpleDateFormat("yyyy-MM-dd HH:mm:ss");
        f.setTimeZone(TimeZone.getTimeZone(zone));
        char[] micros = new char[6];
        digits(micros, 0, t.getNano() / 1000, 6);
        return f.format(Date.from(t)) + '.' + new String(micros);
    }

    private static void digits(char[] c, int at, int value, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            c[i] = (char) ('0' + value % 10);
            value /= 10;
        }
    }

    /** {@code m} as a JSON object, character for character as Jackson's {@code ObjectMapper} writes a {@code Map<String, String>}. */
    static String json(Map<String, String> m) {
        StringBuilder sb = new StringBuilder(32 * (m.size() + 1));
        sb.append('{');
        boolean first = true;
        for (Map.Entry<String, String> e : m.entrySet()) {
            if (!first) {
                sb.append(',');
            }
            first = false;
            quoted(sb, e.getKey());
            sb.append(':');
            if (e.getValue() == null) {
                sb.append("null");
            } else {
                quoted(sb, e.getValue());
            }
        }
        return sb.append('}').toString();
    }

    private static void quoted(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch >= 0x20 && ch != '"' && ch != '\\') {
                sb.append(ch);
                continue;
            }
            switch (ch) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\b' -> sb.append("\\b");
                case '\t' -> sb.append("\\t");
                case '\n' -> sb.append("\\n");
                case '\f' -> sb.append("\\f");
                case '\r' -> sb.append("\\r");
                default -> sb.append("\\u00").append(HEX[ch >> 4]).append(HEX[ch & 0xF]);
            }
        }
        sb.append('"');
    }
}
