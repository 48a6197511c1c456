package io.rulescaler.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;

/**
 * The path's stage marks: nothing is recorded unless a recording enables them, then each mark with its stage and cluster.
 * Only this test's thread's events count: the suite's JVM may still hold other tests' session and runner threads, and a
 * recording sees their marks too (CI once failed on them).
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
            Thread other = otherThreadMarking(); // as a session thread left by an earlier test does
            PathStage.mark("received", null);
            PathStage.mark("decision-committed", "web");
            other.join();
            on.stop();
            on.dump(file);
            List<RecordedEvent> all = stages(file);
            assertEquals(50, all.stream().filter(e -> !fromThisThread(e)).count(), "the other thread's marks are recorded too");
            List<RecordedEvent> events = all.stream().filter(PathStageTest::fromThisThread).toList();
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

    private static boolean fromThisThread(RecordedEvent e) {
        return e.getThread() != null && e.getThread().getJavaThreadId() == Thread.currentThread().getId();
    }

    private static List<RecordedEvent> stages(Path file) throws Exception {
        return RecordingFile.readAllEvents(file).stream().filter(e -> e.getEventType().getName().equals(PathStage.NAME))
                .sorted((a, b) -> a.getStartTime().compareTo(b.getStartTime())).toList();
    }
}
