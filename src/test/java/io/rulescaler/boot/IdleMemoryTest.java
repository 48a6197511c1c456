package io.rulescaler.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The idle-memory flags on this very JVM: set when nobody set them, left alone the second time, and a
 * collection afterwards leaves at most about the configured share of the heap free (40 % for 30 %, plus three
 * regions of slack), where the JVM's default would keep up to 70 %.
 */
class IdleMemoryTest {

    private static final HotSpotDiagnosticMXBean VM = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);

    @Test
    void narrowsTheFreeHeapBandOnceAndACollectionGivesTheRestBack() {
        assumeTrue(ManagementFactory.getGarbageCollectorMXBeans().stream().anyMatch(g -> g.getName().startsWith("G1")),
                "the flags are G1's");
        // in the full suite a Quarkus test started the service in this JVM before: its IdleMemory set the flags already
        boolean untouched = VM.getVMOption(IdleMemory.MAX_FREE).getOrigin() == com.sun.management.VMOption.Origin.DEFAULT;
        IdleMemory memory = new IdleMemory(config(Duration.ofSeconds(30), 10, 30));

        Map<String, String> changed = memory.apply();

        if (untouched) {
            assertEquals("30", changed.get(IdleMemory.MAX_FREE), changed.toString());
            assertEquals("10", changed.get(IdleMemory.MIN_FREE), changed.toString());
        }
        assertEquals("30", VM.getVMOption(IdleMemory.MAX_FREE).getValue());
        assertEquals("10", VM.getVMOption(IdleMemory.MIN_FREE).getValue());
        assertTrue(memory.apply().isEmpty(), "set once: the second call finds the flags no longer at their defaults");

        byte[][] garbage = new byte[64][];
        for (int i = 0; i < garbage.length; i++) {
            garbage[i] = new byte[2 << 20]; // 128 MB in all, then dropped
        }
        garbage = null;
        System.gc();
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        long slack = 3L * regionBytes();
        // 30 % asked; 40 % allowed for G1's own sizing steps. The JVM's default band would keep up to 70 % free.
        assertTrue(heap.getCommitted() <= heap.getUsed() / 0.6 + slack,
                "committed " + heap.getCommitted() + " for " + heap.getUsed() + " used: more than 40 % free after a collection");
    }

    @Test
    void zeroIntervalLeavesTheJvmAlone() {
        assertTrue(new IdleMemory(config(Duration.ZERO, 10, 30)).apply().isEmpty());
    }

    private static long regionBytes() {
        return Long.parseLong(VM.getVMOption("G1HeapRegionSize").getValue());
    }

    private static IdleMemoryConfig config(Duration interval, int min, int max) {
        return new IdleMemoryConfig() {
            @Override
            public Duration idleGcInterval() {
                return interval;
            }

            @Override
            public FreeRatio heapFreeRatio() {
                return new FreeRatio() {
                    @Override
                    public int min() {
                        return min;
                    }

                    @Override
                    public int max() {
                        return max;
                    }
                };
            }
        };
    }
}
