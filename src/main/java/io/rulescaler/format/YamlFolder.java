package io.rulescaler.format;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * The YAML files of a folder users edit (chains, deployables), and a fingerprint of them that changes when a file is
 * added, removed, touched or resized: the catalogs compare fingerprints to know when to load the folder again.
 */
public final class YamlFolder {

    private static final Logger LOG = Logger.getLogger(YamlFolder.class);

    private YamlFolder() {
    }

    /** The folder's {@code *.yaml} / {@code *.yml} regular files, sorted, hidden ones left out; none when it is missing or unreadable. */
    public static List<Path> files(Path directory, String what) {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(directory)) {
            return s.filter(p -> p.getFileName().toString().matches("[^.].*\\.ya?ml") && Files.isRegularFile(p)).sorted().toList();
        } catch (IOException e) {
            LOG.errorf("cannot list %s directory=%s problem=%s", what, directory, e.getMessage());
            return List.of();
        }
    }

    /** Name, modification time and size of each file, in one string. */
    public static String fingerprint(List<Path> files) {
        StringBuilder sb = new StringBuilder();
        for (Path f : files) {
            try {
                sb.append(f.getFileName()).append(':').append(Files.getLastModifiedTime(f).toMillis()).append(':')
                        .append(Files.size(f)).append(';');
            } catch (IOException e) {
                sb.append(f.getFileName()).append(":?;");
            }
        }
        return sb.toString();
    }
}
