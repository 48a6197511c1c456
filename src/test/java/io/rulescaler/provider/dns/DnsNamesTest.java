package io.rulescaler.provider.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Node names #.zone.basename and the lowest-free-index rule. */
class DnsNamesTest {

    @ParameterizedTest(name = "{0} #{1} zone={2} → {4}")
    @CsvSource({
            "default pattern,     3, eu-west-1a, web.example.com, 3.eu-west-1a.web.example.com",
            "zone cleaned,        1, Zone_B,     web.example.com, 1.zone-b.web.example.com",
            "no zone drops label, 2, '',         web.example.com, 2.web.example.com",
            "base lower-cased,    4, a,          Web.Example.COM, 4.a.web.example.com",
    })
    void namesNodes(String why, int index, String zone, String base, String expected) {
        assertEquals(expected, DnsNames.nodeName("{index}.{zone}.{base}", index, zone, base), why);
    }

    @ParameterizedTest(name = "used {0} → {1}")
    @CsvSource({
            "'',        1",
            "'1 2 3',   4",
            "'1 3',     2",
            "'2 3',     1",
            "'1 2 4 5', 3",
    })
    void lowestFreeIndexIsReused(String used, int expected) {
        List<Integer> taken = used.isBlank() ? List.of() : Arrays.stream(used.split(" ")).map(Integer::valueOf).toList();
        assertEquals(expected, DnsNames.lowestFreeIndex(taken));
    }
}
