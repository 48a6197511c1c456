package io.rulescaler.provider;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.google.inject.Key;
import com.google.inject.TypeLiteral;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentMap;
import org.jclouds.compute.ComputeServiceContext;
import org.jclouds.compute.domain.NodeMetadata;
import org.jclouds.compute.domain.NodeMetadataBuilder;
import org.jclouds.compute.stub.config.StubComputeServiceDependenciesModule;
import org.jclouds.domain.Location;
import org.jboss.logging.Logger;

/**
 * Makes the in-memory jclouds {@code stub} provider remember its machines across restarts: every
 * create and destroy is appended (and flushed) to a journal under the data folder; at start the
 * journal is replayed into the stub's node map and compacted.
 */
final class StubJournal {

    static final String ZONE_KEY = Machine.TAG_ZONE;
    private static final Logger LOG = Logger.getLogger(StubJournal.class);
    private static final ObjectMapper JSON = JsonMapper.builder().build();
    private final Path file;
    private BufferedWriter out;

    /** One journal line. */
    record Entry(String op, String id, String name, String group, String zone, String imageId, List<String> publicIps,
                 List<String> privateIps, Map<String, String> meta) {
    }

    StubJournal(Path file) {
        this.file = file;
    }

    /** Replays the journal into the stub behind {@code context}; returns how many machines came back. */
    synchronized int restore(ComputeServiceContext context, String identity) {
        Map<String, Entry> alive = new LinkedHashMap<>();
        try {
            Files.createDirectories(file.getParent());
            if (Files.exists(file)) {
                for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                    if (line.isBlank()) {
                        continue;
                    }
                    try {
                        Entry e = JSON.readValue(line, Entry.class);
                        if ("create".equals(e.op())) {
                            alive.put(e.id(), e);
                        } else {
                            alive.remove(e.id());
                        }
                    } catch (IOException bad) {
                        LOG.warnf("stub journal line skipped file=%s problem=%s (a crash mid-write leaves at most one)", file, bad.getMessage());
                    }
                }
            }
            ConcurrentMap<String, NodeMetadata> nodes = context.utils().injector()
                    .getInstance(Key.get(new TypeLiteral<ConcurrentMap<String, NodeMetadata>>() { }));
            Location location = context.getComputeService().listAssignableLocations().iterator().next();
            int maxId = 0;
            for (Entry e : alive.values()) {
                nodes.put(e.id(), new NodeMetadataBuilder().ids(e.id()).name(e.name()).hostname(e.group()).group(e.group())
                        .location(location).imageId(e.imageId()).status(NodeMetadata.Status.RUNNING)
                        .publicAddresses(e.publicIps()).privateAddresses(e.privateIps()).userMetadata(e.meta()).build());
                try {
                    maxId = Math.max(maxId, Integer.parseInt(e.id()));
                } catch (NumberFormatException ignored) {
                    // ids are numbers in the stub
                }
            }
            IdCounter.atLeast(identity, maxId);
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            try (BufferedWriter w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                for (Entry e : alive.values()) {
                    w.write(JSON.writeValueAsString(e));
                    w.newLine();
                }
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.APPEND, StandardOpenOption.CREATE);
            LOG.infof("stub machines restored file=%s machines=%d", file, alive.size());
            return alive.size();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot use the stub journal " + file, e);
        }
    }

    synchronized void created(NodeMetadata n, String zone) {
        Map<String, String> meta = new LinkedHashMap<>(n.getUserMetadata());
        if (zone != null) {
            meta.put(ZONE_KEY, zone);
        }
        write(new Entry("create", n.getId(), n.getName(), n.getGroup(), zone, n.getImageId(), List.copyOf(n.getPublicAddresses()),
                List.copyOf(n.getPrivateAddresses()), meta));
    }

    synchronized void destroyed(String id) {
        write(new Entry("destroy", id, null, null, null, null, List.of(), List.of(), Map.of()));
    }

    private void write(Entry e) {
        try {
            out.write(JSON.writeValueAsString(e));
            out.newLine();
            out.flush();
        } catch (IOException ex) {
            throw new UncheckedIOException("cannot write the stub journal " + file, ex);
        }
    }

    /** Reaches the stub's static id counter so restored ids are never handed out again. */
    static final class IdCounter extends StubComputeServiceDependenciesModule {
        static void atLeast(String identity, int value) {
            nodeIds.getUnchecked(identity).accumulateAndGet(value, Math::max);
        }
    }
}
