package io.rulescaler.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;

/**
 * Background rounds as JFR events: nothing is recorded unless a recording enables them, then each round with its job
 * and its span. Only this test's thread's events count (the suite's JVM may run other instances' rounds meanwhile).
 */
class RoundTest {

    @Test
    void roundsAreRecordedOnlyWhileARecordingEnablesThem() throws Exception {
        Path file = Files.createTempFile(Path.of("target"), "round", ".jfr");
        try (Recording off = new Recording()) {
            off.start();
            Round.begin("Off.round").done();
            off.stop();
            off.dump(file);
            assertEquals(List.of(), mine(file), "a disabled event was recorded");
        }
        try (Recording on = new Recording()) {
            on.enable(Round.NAME).withThreshold(Duration.ZERO);
            on.start();
            Round r = Round.begin("Test.round");
            Thread.sleep(1);
            r.done();
            on.stop();
            on.dump(file);
            List<RecordedEvent> rounds = mine(file);
            assertEquals(List.of("Test.round"), rounds.stream().map(e -> e.getString("job")).toList());
            assertTrue(rounds.get(0).getDuration().toNanos() > 0, "the event spans the round (begun, then committed)");
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private static List<RecordedEvent> mine(Path file) throws Exception {
        long me = Thread.currentThread().getId();
        return RecordingFile.readAllEvents(file).stream().filter(e -> e.getEventType().getName().equals(Round.NAME))
                .filter(e -> e.getThread() != null && e.getThread().getJavaThreadId() == me).toList();
    }
}
