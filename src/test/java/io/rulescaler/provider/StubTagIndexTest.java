package io.rulescaler.provider;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.jclouds.ContextBuilder;
import org.jclouds.compute.ComputeServiceContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stub profile finds a machine by tag through its index (not by listing every machine): it
 * finds exactly the tagged machine, forgets destroyed ones, and rebuilds the index from the journal
 * after a restart.
 */
class StubTagIndexTest {

    @TempDir
    Path temp;

    private static Map<String, String> tags(String node, long id) {
        return Map.of(Machine.TAG_CLUSTER, "web", Machine.TAG_NODE, node, Machine.TAG_NODE_ID, Long.toString(id));
    }

    private static JcloudsComputeProvider open(String identity, Path journalFile) {
        Properties props = new Properties();
        props.setProperty("jclouds.compute.poll-status.initial-period", "10");
        props.setProperty("jclouds.compute.poll-status.max-period", "50");
        ComputeServiceContext ctx = ContextBuilder.newBuilder("stub").credentials(identity, "stub").overrides(props)
                .buildView(ComputeServiceContext.class);
        StubJournal journal = new StubJournal(journalFile);
        journal.restore(ctx, identity);
        return new JcloudsComputeProvider("stub", ctx, journal);
    }

    @Test
    void findsTheTaggedMachineForgetsDestroyedOnesAndRebuildsTheIndexAfterARestart() throws Exception {
        String identity = "tag-index-" + System.nanoTime();
        Path journal = temp.resolve("stub/stub.jsonl");
        JcloudsComputeProvider stub = open(identity, journal);
        Machine m1 = stub.create("web", "web-1", "a", null, tags("web-1", 101));
        Machine m2 = stub.create("web", "web-2", "b", null, tags("web-2", 102));
        Machine m3 = stub.create("web", "web-3", "a", null, tags("web-3", 103));

        assertEquals(m2.providerId(), stub.findByTag(Machine.TAG_NODE_ID, "102").orElseThrow().providerId());
        assertEquals("web-2", stub.findByTag(Machine.TAG_NODE, "web-2").orElseThrow().name());
        assertTrue(stub.findByTag(Machine.TAG_NODE_ID, "999").isEmpty(), "no machine carries node id 999");
        assertTrue(stub.findByTag("no-such-tag", "102").isEmpty());

        stub.destroy(m2.providerId());
        assertTrue(stub.findByTag(Machine.TAG_NODE_ID, "102").isEmpty(), "a destroyed machine is not found");
        assertEquals(m1.providerId(), stub.findByTag(Machine.TAG_NODE_ID, "101").orElseThrow().providerId());
        stub.context().close();

        // a new JVM starts with an empty stub: a fresh identity gives a fresh in-memory stub here
        JcloudsComputeProvider again = open(identity + "-restarted", journal);
        try {
            assertEquals(m3.providerId(), again.findByTag(Machine.TAG_NODE_ID, "103").orElseThrow().providerId(),
                    "the index is rebuilt from the machines the journal restored");
            assertEquals(m1.providerId(), again.findByTag(Machine.TAG_NODE, "web-1").orElseThrow().providerId());
            assertTrue(again.findByTag(Machine.TAG_NODE_ID, "102").isEmpty(), "the destroyed machine stays gone");
        } finally {
            again.context().close();
        }
    }
}
