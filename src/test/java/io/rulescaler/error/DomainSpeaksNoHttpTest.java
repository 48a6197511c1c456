package io.rulescaler.error;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Keeps HTTP at the edge: only `web` and REST resources (classes with a class-level @Path) import
 * JAX-RS or `web`; services throw the exceptions of `error`, which imports nothing of the project.
 */
class DomainSpeaksNoHttpTest {

    private static final Path MAIN = Path.of("src/main/java/io/rulescaler");
    private static final Pattern HTTP = Pattern.compile("^import (static )?(jakarta\\.ws\\.rs|io\\.rulescaler\\.web)\\.", Pattern.MULTILINE);
    private static final Pattern PROJECT = Pattern.compile("^import (static )?io\\.rulescaler\\.", Pattern.MULTILINE);
    private static final Pattern RESOURCE = Pattern.compile("^@Path\\(", Pattern.MULTILINE);

    @Test
    void onlyWebAndResourcesImportHttp() throws IOException {
        assertTrue(sources().count() > 100, "the scan sees the sources");
        List<String> offenders = sources()
                .filter(f -> !f.startsWith(MAIN.resolve("web")))
                .filter(f -> {
                    String s = read(f);
                    return HTTP.matcher(s).find() && !RESOURCE.matcher(s).find();
                })
                .map(f -> MAIN.relativize(f).toString())
                .toList();
        assertEquals(List.of(), offenders, "services that import JAX-RS or web; throw an io.rulescaler.error exception instead");
    }

    @Test
    void theErrorPackageImportsNothingOfTheProject() throws IOException {
        List<String> offenders = sources()
                .filter(f -> f.startsWith(MAIN.resolve("error")))
                .filter(f -> PROJECT.matcher(read(f)).find() || HTTP.matcher(read(f)).find())
                .map(f -> MAIN.relativize(f).toString())
                .toList();
        assertEquals(List.of(), offenders);
    }

    private static Stream<Path> sources() throws IOException {
        try (Stream<Path> s = Files.walk(MAIN)) {
            return s.filter(f -> f.toString().endsWith(".java")).toList().stream();
        }
    }

    private static String read(Path f) {
        try {
            return Files.readString(f);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
