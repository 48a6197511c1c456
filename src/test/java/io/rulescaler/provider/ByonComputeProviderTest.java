package io.rulescaler.provider;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The byon provider allocates listed hosts, remembers them across restarts and refuses when all are in use. */
class ByonComputeProviderTest {

    @TempDir
    Path temp;

    private Path hosts(String yaml) throws Exception {
        Path f = temp.resolve("hosts.yaml");
        Files.writeString(f, yaml);
        return f;
    }

    private static Map<String, String> tags(String node, long id) {
        return Map.of(Machine.TAG_CLUSTER, "web", Machine.TAG_NODE, node, Machine.TAG_NODE_ID, Long.toString(id));
    }

    @Test
    void allocatesFreeHostsTagsThemAndRefusesWhenAllAreInUse() throws Exception {
        Path file = hosts("""
                - {host: 127.0.0.1, port: 2201, user: deploy, zone: a}
                - {host: 127.0.0.1, port: 2202, zone: b}
                """);
        Path journal = temp.resolve("data/byon/lab.jsonl");
        ByonComputeProvider byon = new ByonComputeProvider("lab", file, journal);
        Machine m1 = byon.create("web", "web-1", "a", null, tags("web-1", 11));
        assertEquals("deploy@127.0.0.1:2201", m1.address());
        assertEquals("a", m1.zone());
        Machine m2 = byon.create("web", "web-2", null, null, tags("web-2", 12));
        assertEquals("127.0.0.1:2202", m2.address(), "the next free host; port and no user");
        assertEquals("b", m2.zone(), "a byon machine's zone is its host's zone");
        assertEquals("web-2", byon.findByTag(Machine.TAG_NODE_ID, "12").orElseThrow().name());
        assertTrue(byon.findByTag(Machine.TAG_NODE_ID, "99").isEmpty());

        ProviderException full = assertThrows(ProviderException.class, () -> byon.create("web", "web-3", null, null, tags("web-3", 13)));
        assertTrue(full.getMessage().startsWith("no free host in byon profile lab: all 2 in use"), full.getMessage());
        assertFalse(full.retryable());

        // a restart (new instance on the same journal) keeps the allocations and their tags
        ByonComputeProvider again = new ByonComputeProvider("lab", file, journal);
        assertEquals(List.of("web-1", "web-2"), again.list().stream().map(Machine::name).toList());
        assertEquals("web", again.findByTag(Machine.TAG_NODE_ID, "11").orElseThrow().tags().get(Machine.TAG_CLUSTER));

        // destroy releases; a second destroy is not an error; the released host is handed out again
        again.destroy(m1.providerId());
        again.destroy(m1.providerId());
        assertTrue(again.findByTag(Machine.TAG_NODE_ID, "11").isEmpty());
        Machine m3 = again.create("web", "web-3", null, null, tags("web-3", 13));
        assertEquals("deploy@127.0.0.1:2201", m3.address());
        assertEquals(List.of("web-2", "web-3"), new ByonComputeProvider("lab", file, journal).list().stream()
                .map(Machine::name).sorted().toList());
    }

    @Test
    void prefersTheRequestedZoneAndNamesItWhenNoneFits() throws Exception {
        Path file = hosts("""
                - {host: h1.example, zone: a}
                - {host: h2.example, zone: b}
                """);
        ByonComputeProvider byon = new ByonComputeProvider("z", file, temp.resolve("z.jsonl"));
        assertEquals("h2.example:22", byon.create("web", "web-1", "b", null, tags("web-1", 1)).address());
        ProviderException e = assertThrows(ProviderException.class, () -> byon.create("web", "web-2", "b", null, tags("web-2", 2)));
        assertTrue(e.getMessage().contains("none in zone b"), e.getMessage());
        assertEquals("h1.example:22", byon.create("web", "web-2", "a", null, tags("web-2", 2)).address());
    }

    @Test
    void aBadHostsFileIsNamedInTheFailure() throws Exception {
        ByonComputeProvider missing = new ByonComputeProvider("m", temp.resolve("nope.yaml"), temp.resolve("m.jsonl"));
        ProviderException e = assertThrows(ProviderException.class, () -> missing.create("web", "web-1", null, null, tags("web-1", 1)));
        assertTrue(e.getMessage().contains("nope.yaml does not exist") && e.getMessage().contains("hosts-file"), e.getMessage());
        ByonComputeProvider bad = new ByonComputeProvider("b", hosts("- {host: 'h:22'}\n"), temp.resolve("b.jsonl"));
        e = assertThrows(ProviderException.class, () -> bad.create("web", "web-1", null, null, tags("web-1", 1)));
        assertTrue(e.getMessage().contains("entry [0].host"), e.getMessage());
        ByonComputeProvider typo = new ByonComputeProvider("t", hosts("- {hots: h1}\n"), temp.resolve("t.jsonl"));
        e = assertThrows(ProviderException.class, () -> typo.create("web", "web-1", null, null, tags("web-1", 1)));
        assertTrue(e.getMessage().contains("hots"), e.getMessage());
    }
}
