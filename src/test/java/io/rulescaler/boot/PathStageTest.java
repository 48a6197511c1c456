package io.rulescaler.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;

/**
 * The path's stage marks: nothing is recorded unless a recording enables them, then each mark with its stage and cluster.
 * Only the events of threads the test started or runs on count: the suite's JVM may still hold other tests' session and
 * runner threads, and a recording sees their marks too (CI once failed on them; then the full suite on a count of "every
 * thread but mine", which the service's own session threads marking meanwhile made 113 instead of 50).
 */
class PathStageTest {

    @Test
    void marksOnlyWhileARecordingEnablesThem() throws Exception {
        Path file = Files.createTempFile(Path.of("target"), "path-stage", ".jfr");
        try (Recording off = new Recording()) {
            off.start();
            PathStage.mark("received", null); // enabled by no recording: not recorded
            off.stop();
            off.dump(file);
            assertEquals(List.of(), stages(file), "a disabled event was recorded");
        }
        try (Recording on = new Recording()) {
            on.enable(PathStage.NAME);
            on.start();
            Thread other = otherThreadMarking(); // as a session thread left by an earlier test does: 50 marks
            AtomicBoolean stop = new AtomicBoolean();
            CountDownLatch noisy = new CountDownLatch(1);
            Thread noise = new Thread(() -> { // and as the others do, marking as long as they run: how often is unknown
                while (!stop.get()) {
                    PathStage.mark("evaluation-start", "noise");
                    noisy.countDown();
                    LockSupport.parkNanos(1_000_000);
                }
            }, "noise-marker");
            noise.start();
            PathStage.mark("received", null);
            PathStage.mark("decision-committed", "web");
            other.join();
            noisy.await();
            stop.set(true);
            noise.join();
            on.stop();
            on.dump(file);
            List<RecordedEvent> all = stages(file);
            assertTrue(all.stream().anyMatch(e -> from(e, noise)), "the noise thread's marks are recorded too");
            assertEquals(50, all.stream().filter(e -> from(e, other)).count(), "the other thread's marks are recorded too");
            List<RecordedEvent> events = all.stream().filter(e -> from(e, Thread.currentThread())).toList();
            assertEquals(List.of("received", "decision-committed"), events.stream().map(e -> e.getString("stage")).toList());
            assertEquals("web", events.get(1).getString("cluster"));
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private static Thread otherThreadMarking() {
        Thread t = new Thread(() -> {
            for (int i = 0; i < 50; i++) {
                PathStage.mark("evaluation-start", "other");
            }
        }, "other-marker");
        t.start();
        return t;
    }

    /** Whether {@code thread} marked the event: only threads the test knows are counted, never "all but mine". */
    private static boolean from(RecordedEvent e, Thread thread) {
        return e.getThread() != null && e.getThread().getJavaThreadId() == thread.getId();
    }

    private static List<RecordedEvent> stages(Path file) throws Exception {
        return RecordingFile.readAllEvents(file).stream().filter(e -> e.getEventType().getName().equals(PathStage.NAME))
                .sorted((a, b) -> a.getStartTime().compareTo(b.getStartTime())).toList();
    }
}
