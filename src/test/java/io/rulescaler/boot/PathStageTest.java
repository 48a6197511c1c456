package io.rulescaler.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;

/** The path's stage marks: nothing is recorded unless a recording enables them, then each mark with its stage and cluster. */
class PathStageTest {

    @Test
    void marksOnlyWhileARecordingEnablesThem() throws Exception {
        Path file = Files.createTempFile(Path.of("target"), "path-stage", ".jfr");
        try (Recording off = new Recording()) {
            off.start();
            PathStage.mark("received", null); // enabled by no recording: not recorded
            off.stop();
            off.dump(file);
            assertEquals(0, stages(file).size(), "a disabled event was recorded");
        }
        try (Recording on = new Recording()) {
            on.enable(PathStage.NAME);
            on.start();
            PathStage.mark("received", null);
            PathStage.mark("decision-committed", "web");
            on.stop();
            on.dump(file);
            List<RecordedEvent> events = stages(file);
            assertEquals(List.of("received", "decision-committed"), events.stream().map(e -> e.getString("stage")).toList());
            assertEquals("web", events.get(1).getString("cluster"));
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private static List<RecordedEvent> stages(Path file) throws Exception {
        return RecordingFile.readAllEvents(file).stream().filter(e -> e.getEventType().getName().equals(PathStage.NAME))
                .sorted((a, b) -> a.getStartTime().compareTo(b.getStartTime())).toList();
    }
}
