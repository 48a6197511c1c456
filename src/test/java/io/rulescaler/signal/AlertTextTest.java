package io.rulescaler.signal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.rulescaler.error.InvalidInputException;
import java.text.SimpleDateFormat;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TimeZone;
import org.junit.jupiter.api.Test;

/**
 * The webhook store's hand-made conversions against the library code they replace: times as the MariaDB
 * driver writes a {@code Timestamp}, label maps as Jackson writes them, RFC 3339 times as the
 * {@code DateTimeFormatter} reads them (errors included).
 */
class AlertTextTest {

    private static final List<ZoneId> ZONES = List.of(ZoneId.of("UTC"), ZoneId.of("Europe/Amsterdam"), ZoneId.of("America/St_Johns"),
            ZoneId.of("Asia/Kathmandu"), ZoneId.of("Pacific/Kiritimati"), ZoneId.of("America/Los_Angeles"));

    /** What the driver (3.5, default settings) sends for {@code Timestamp.from(t)}, with the fraction always six digits. */
    static String asTheDriverWrites(Instant t, ZoneId zone) {
        SimpleDateFormat f = new SimpleDateFormat("yyyy-MM-dd HH:mm:ss");
        f.setTimeZone(TimeZone.getTimeZone(zone));
        return f.format(java.sql.Timestamp.from(t)) + String.format(".%06d", t.getNano() / 1000);
    }

    @Test
    void timesAreWrittenAsTheDriverWritesATimestamp() {
        Random random = new Random(42);
        long from = Instant.parse("0001-01-01T00:00:00Z").getEpochSecond();
        long to = Instant.parse("9999-12-31T23:59:59Z").getEpochSecond();
        for (ZoneId zone : ZONES) {
            for (int i = 0; i < 20_000; i++) {
                // mostly around now (DST changes included), some anywhere in the storable range
                long s = i % 4 == 0 ? from + (long) (random.nextDouble() * (to - from))
                        : 1_700_000_000L + (long) (random.nextDouble() * 400_000_000L);
                Instant t = Instant.ofEpochSecond(s, random.nextInt(1_000_000) * 1000L);
                assertEquals(asTheDriverWrites(t, zone), AlertText.dateTime(t, zone), t + " in " + zone);
            }
            for (String edge : List.of("1582-10-15T00:00:00Z", "1583-01-01T00:00:00Z", "1970-01-01T00:00:00Z", "2026-03-29T01:00:00Z",
                    "2026-10-25T00:59:59.999999Z", "2026-10-25T01:00:00Z", "9999-12-31T23:59:59.999999Z")) {
                Instant t = Instant.parse(edge);
                assertEquals(asTheDriverWrites(t, zone), AlertText.dateTime(t, zone), edge + " in " + zone);
            }
        }
    }

    @Test
    void labelMapsAreWrittenAsJacksonWritesThem() throws Exception {
        ObjectMapper jackson = new ObjectMapper();
        Random random = new Random(7);
        String alphabet = "aZ09 _-.:/\"\\\u0000\u0001\b\t\n\u000b\f\r\u001f\u007f\u00e9\u20ac\ud83d\ude00\u2028<>&'";
        for (int i = 0; i < 5_000; i++) {
            Map<String, String> m = new LinkedHashMap<>();
            int n = random.nextInt(6);
            for (int k = 0; k < n; k++) {
                m.put(text(random, alphabet), random.nextInt(10) == 0 ? null : text(random, alphabet));
            }
            assertEquals(jackson.writeValueAsString(m), AlertText.json(m));
        }
        assertEquals("{}", AlertText.json(Map.of()));
    }

    private static String text(Random random, String alphabet) {
        StringBuilder sb = new StringBuilder();
        int n = random.nextInt(12);
        for (int i = 0; i < n; i++) {
            sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return sb.toString();
    }

    /** The parse before the fast path: the formatter's instant, or its error. */
    static Instant slowParse(String s) {
        try {
            return Instant.parse(s);
        } catch (DateTimeParseException e) {
            return OffsetDateTime.parse(s).toInstant();
        }
    }

    @Test
    void rfc3339TimesAreReadAsTheFormatterReadsThem() {
        Random random = new Random(11);
        String[] fractions = {"", ".1", ".12", ".123", ".123456", ".123456789", ".000000001", ".1234567890", "."};
        String[] offsets = {"Z", "+00:00", "-00:00", "+01:00", "-07:30", "+05:45", "+14:00", "+17:59", "+18:00", "z", "", "+0100", "+01"};
        int fast = 0;
        for (int i = 0; i < 50_000; i++) {
            String s = String.format("%04d-%02d-%02dT%02d:%02d:%02d%s%s", random.nextInt(10_000), random.nextInt(14), random.nextInt(33),
                    random.nextInt(26), random.nextInt(62), random.nextInt(62), fractions[random.nextInt(fractions.length)],
                    offsets[random.nextInt(offsets.length)]);
            Instant quick = AlertValidation.fast(s);
            Instant slow;
            try {
                slow = slowParse(s);
            } catch (DateTimeParseException e) {
                assertNull(quick, s + " is not a time, the fast path read " + quick);
                continue;
            }
            if (quick != null) {
                fast++;
                assertEquals(slow, quick, s);
            }
        }
        assertNotNull(AlertValidation.fast("2026-01-05T08:00:00.123456789Z"), "Alertmanager's shape takes the fast path");
        assertEquals(Instant.parse("2026-01-05T07:00:00.5Z"), AlertValidation.parse("2026-01-05T08:00:00.5+01:00", "startsAt"));
        assertThrows(InvalidInputException.class, () -> AlertValidation.parse("2026-02-30T08:00:00Z", "startsAt"));
        assertThrows(InvalidInputException.class, () -> AlertValidation.parse("9999-12-31T23:59:59.5Z", "startsAt"), "past 9999");
        assertEquals(true, fast > 1_000, "the random times took the fast path " + fast + " times");
    }
}
