package io.rulescaler.cluster;

import static io.rulescaler.testing.Api.asAdmin;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

@QuarkusTest
class ClusterFilesTest {

    private final ClusterFiles files;

    ClusterFilesTest(ClusterFiles files) {
        this.files = files;
    }

    static Path dirWith(String file, String content) throws Exception {
        Path dir = Files.createTempDirectory("clusters");
        Files.writeString(dir.resolve(file), content);
        return dir;
    }

    @Test
    void applyingADirectoryTwiceChangesNothingTheSecondTime() throws Exception {
        Path dir = dirWith("files-a.yaml", ClusterResourceTest.yaml("files-a", 1, 4));
        List<ClusterFiles.FileResult> first = files.applyDirectory(dir);
        assertEquals("created", first.get(0).outcome());
        List<ClusterFiles.FileResult> second = files.applyDirectory(dir);
        assertEquals("unchanged", second.get(0).outcome());
        assertTrue(second.get(0).changes().isEmpty());
        asAdmin().get("/api/v1/clusters/files-a").then().statusCode(200).body("version", equalTo(0));
    }

    @Test
    void aChangedFileReportsItsChanges() throws Exception {
        Path dir = dirWith("files-b.yaml", ClusterResourceTest.yaml("files-b", 1, 4));
        files.applyDirectory(dir);
        Files.writeString(dir.resolve("files-b.yaml"), ClusterResourceTest.yaml("files-b", 2, 4));
        ClusterFiles.FileResult r = files.applyDirectory(dir).get(0);
        assertEquals("updated", r.outcome());
        assertTrue(r.changes().contains("size.min: 1 -> 2"), r.changes().toString());
        assertTrue(r.changes().contains("size.desired: 1 -> 2"), r.changes().toString());
    }

    @Test
    void anInvalidFileIsReportedWithFileAndFieldAndLeavesTheClusterAsItWas() throws Exception {
        Path dir = dirWith("files-c.yaml", ClusterResourceTest.yaml("files-c", 1, 4));
        files.applyDirectory(dir);
        Files.writeString(dir.resolve("files-c.yaml"), ClusterResourceTest.yaml("files-c", 1, 6).replace("max: 6", "max: -6"));
        ClusterFiles.FileResult r = files.applyDirectory(dir).get(0);
        assertEquals("invalid", r.outcome());
        assertTrue(r.error().contains("files-c.yaml"), r.error());
        assertTrue(r.error().contains("size.max"), r.error());
        asAdmin().get("/api/v1/clusters/files-c").then().statusCode(200).body("spec.size.max", equalTo(4));
    }

    @Test
    void anUnknownFieldInAFileNamesFileLineAndField() throws Exception {
        Path dir = dirWith("files-d.yaml", ClusterResourceTest.yaml("files-d", 1, 4) + "minSise: 3\n");
        ClusterFiles.FileResult r = files.applyDirectory(dir).get(0);
        assertEquals("invalid", r.outcome());
        assertTrue(r.error().contains("files-d.yaml:14"), r.error());
        assertTrue(r.error().contains("unknown field 'minSise'"), r.error());
        assertNull(r.cluster());
        asAdmin().get("/api/v1/clusters/files-d").then().statusCode(404);
    }

    @Test
    void oneBadFileDoesNotStopTheOthers() throws Exception {
        Path dir = dirWith("a-broken.yaml", "name: files-e\nsize: {min: 1\n");
        Files.writeString(dir.resolve("b-good.yaml"), ClusterResourceTest.yaml("files-f", 1, 2));
        List<ClusterFiles.FileResult> results = files.applyDirectory(dir);
        assertEquals("invalid", results.get(0).outcome());
        assertEquals("created", results.get(1).outcome());
    }
}
