package io.rulescaler.cluster;

import io.quarkus.runtime.StartupEvent;
import io.rulescaler.error.DomainException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * Applies the declarative cluster files at start. Each file is applied on its own: an invalid
 * one is reported with file and field and leaves its cluster as it was; the others still apply.
 */
@ApplicationScoped
public class ClusterFiles {

    private static final Logger LOG = Logger.getLogger(ClusterFiles.class);
    private final ClusterSpecParser parser;
    private final ClusterService service;
    private final ClustersConfig config;

    public ClusterFiles(ClusterSpecParser parser, ClusterService service, ClustersConfig config) {
        this.parser = parser;
        this.service = service;
        this.config = config;
    }

    /** The outcome for one file: created/updated/unchanged with changes, or the error. */
    public record FileResult(String file, String cluster, String outcome, List<String> changes, String error) {
    }

    void onStart(@Observes StartupEvent event) {
        applyDirectory(Path.of(config.directory()));
    }

    /** Applies every cluster file in {@code dir}, in name order. */
    public List<FileResult> applyDirectory(Path dir) {
        List<FileResult> results = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            LOG.debugf("no cluster files directory=%s", dir);
            return results;
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(ClusterFiles::isClusterFile).sorted().toList()) {
                results.add(applyFile(f));
            }
        } catch (IOException e) {
            LOG.errorf("cannot read cluster files directory=%s error=%s", dir, e.getMessage());
        }
        return results;
    }

    /** Applies one file; never throws for invalid content. */
    public FileResult applyFile(Path file) {
        String source = file.toString();
        try {
            String content = Files.readString(file);
            String stem = file.getFileName().toString().replaceFirst("\\.(ya?ml|json)$", "");
            ClusterSpec spec = parser.parse(content, !source.endsWith(".json"), source, stem);
            ApplyResult r = service.apply(spec, OptionalLong.empty());
            if (!ApplyResult.UNCHANGED.equals(r.outcome())) {
                LOG.infof("cluster file applied file=%s cluster=%s outcome=%s changes=%s", source, spec.name(), r.outcome(), r.changes());
            }
            return new FileResult(source, spec.name(), r.outcome(), r.changes(), null);
        } catch (DomainException e) {
            LOG.errorf("cluster file rejected, cluster left as it was: %s", e.getMessage());
            return new FileResult(source, null, "invalid", List.of(), e.getMessage());
        } catch (IOException e) {
            LOG.errorf("cluster file unreadable file=%s error=%s", source, e.getMessage());
            return new FileResult(source, null, "invalid", List.of(), source + ": " + e.getMessage());
        }
    }

    static boolean isClusterFile(Path p) {
        String n = p.getFileName().toString();
        return Files.isRegularFile(p) && (n.endsWith(".yaml") || n.endsWith(".yml") || n.endsWith(".json"));
    }
}
