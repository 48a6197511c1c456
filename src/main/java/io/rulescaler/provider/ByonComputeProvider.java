package io.rulescaler.provider;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.rulescaler.cluster.ClusterSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * "Bring your own nodes": a profile whose machines are existing hosts listed in a YAML file and
 * reached over SSH. {@code create} allocates a free host, {@code destroy} releases it; allocations
 * (with their tags) are journaled under the data folder so they survive restarts and retries adopt.
 *
 * <p>Hosts file: a YAML list of {@code {host, port (22), user (optional), zone (optional)}}. It is
 * read on every call, so hosts can be added while the service runs. A host's machine address is
 * {@code user@host:port} (or {@code host:port}), which the remote actions parse for SSH.
 *
 * <pre>
 *   free ──create──▶ allocated ──destroy──▶ free
 * </pre>
 */
final class ByonComputeProvider implements ComputeProvider {

    private static final Logger LOG = Logger.getLogger(ByonComputeProvider.class);
    private static final ObjectMapper JSON = JsonMapper.builder().build();
    private static final ObjectMapper YAML = YAMLMapper.builder()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true).build();
    private final String profile;
    private final Path hostsFile;
    private final Path journal;
    private final Map<String, Machine> allocated = new LinkedHashMap<>();

    /** One host of the hosts file. */
    record Host(String host, Integer port, String user, String zone) {

        String address() {
            return (user == null || user.isBlank() ? "" : user + "@") + host + ":" + (port == null ? 22 : port);
        }
    }

    /** One journal line: an allocation ({@code op=create}) or a release ({@code op=destroy}). */
    record Entry(String op, String id, String name, String group, String zone, Map<String, String> tags) {
    }

    ByonComputeProvider(String profile, Path hostsFile, Path journal) {
        this.profile = profile;
        this.hostsFile = hostsFile;
        this.journal = journal;
        restore();
    }

    @Override
    public String profile() {
        return profile;
    }

    @Override
    public synchronized Machine create(String group, String name, String zone, ClusterSpec.NodeTemplate template,
                                       Map<String, String> tags) throws ProviderException {
        List<Host> hosts = hosts();
        Host pick = null;
        for (Host h : hosts) {
            boolean free = !allocated.containsKey(h.address());
            boolean zoneFits = zone == null || h.zone() == null || h.zone().equals(zone);
            if (free && zoneFits) {
                pick = h;
                break;
            }
        }
        if (pick == null) {
            long inUse = hosts.stream().filter(h -> allocated.containsKey(h.address())).count();
            throw new ProviderException("no free host in byon profile " + profile + ": all " + inUse + " in use"
                    + (zone == null ? "" : " (or none in zone " + zone + ")") + " of " + hosts.size()
                    + " listed in " + hostsFile + "; add hosts to the file or scale in", false);
        }
        String z = pick.zone() != null ? pick.zone() : zone;
        Map<String, String> t = new LinkedHashMap<>(tags);
        Machine m = new Machine(pick.address(), name, group, z, pick.address(), "RUNNING", Map.copyOf(t));
        write(new Entry("create", m.providerId(), name, group, z, t));
        allocated.put(m.providerId(), m);
        LOG.infof("byon host allocated profile=%s host=%s node=%s", profile, m.address(), name);
        return m;
    }

    @Override
    public synchronized Optional<Machine> findByTag(String key, String value) {
        return allocated.values().stream().filter(m -> value.equals(m.tags().get(key))).findFirst();
    }

    @Override
    public synchronized void destroy(String providerId) throws ProviderException {
        if (allocated.remove(providerId) == null) {
            return;
        }
        write(new Entry("destroy", providerId, null, null, null, Map.of()));
        LOG.infof("byon host released profile=%s host=%s", profile, providerId);
    }

    @Override
    public synchronized List<Machine> list() {
        return new ArrayList<>(allocated.values());
    }

    /** The hosts file as it is now; a missing or malformed file is a non-retryable failure naming it. */
    List<Host> hosts() throws ProviderException {
        if (!Files.isRegularFile(hostsFile)) {
            throw new ProviderException("byon profile " + profile + ": hosts file " + hostsFile + " does not exist (set "
                    + "rulescaler.compute.profiles." + profile + ".hosts-file)", false);
        }
        List<Host> hosts;
        try {
            hosts = YAML.readValue(hostsFile.toFile(), new TypeReference<List<Host>>() { });
        } catch (IOException e) {
            throw new ProviderException("byon profile " + profile + ": hosts file " + hostsFile + " is not a YAML list of "
                    + "{host, port, user, zone}: " + e.getMessage(), false, e);
        }
        List<Host> out = new ArrayList<>();
        for (int i = 0; hosts != null && i < hosts.size(); i++) {
            Host h = hosts.get(i);
            if (h == null || h.host() == null || h.host().isBlank() || h.host().contains(":") || h.host().contains("@")) {
                throw new ProviderException("byon profile " + profile + ": hosts file " + hostsFile + " entry [" + i
                        + "].host must be a host name or IPv4 address", false);
            }
            if (h.port() != null && (h.port() < 1 || h.port() > 65535)) {
                throw new ProviderException("byon profile " + profile + ": hosts file " + hostsFile + " entry [" + i
                        + "].port must be 1-65535, was " + h.port(), false);
            }
            out.add(h);
        }
        return out;
    }

    private void restore() {
        try {
            Files.createDirectories(journal.getParent());
            if (Files.exists(journal)) {
                for (String line : Files.readAllLines(journal, StandardCharsets.UTF_8)) {
                    if (line.isBlank()) {
                        continue;
                    }
                    try {
                        Entry e = JSON.readValue(line, Entry.class);
                        if ("create".equals(e.op())) {
                            allocated.put(e.id(), new Machine(e.id(), e.name(), e.group(), e.zone(), e.id(), "RUNNING",
                                    e.tags() == null ? Map.of() : Map.copyOf(e.tags())));
                        } else {
                            allocated.remove(e.id());
                        }
                    } catch (IOException bad) {
                        LOG.warnf("byon journal line skipped file=%s problem=%s (a crash mid-write leaves at most one)",
                                journal, bad.getMessage());
                    }
                }
            }
            Path tmp = journal.resolveSibling(journal.getFileName() + ".tmp");
            StringBuilder sb = new StringBuilder();
            for (Machine m : allocated.values()) {
                sb.append(JSON.writeValueAsString(new Entry("create", m.providerId(), m.name(), m.group(), m.zone(), m.tags())))
                        .append('\n');
            }
            Files.writeString(tmp, sb.toString(), StandardCharsets.UTF_8);
            Files.move(tmp, journal, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            LOG.infof("byon allocations restored profile=%s file=%s hosts=%d", profile, journal, allocated.size());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot use the byon journal " + journal, e);
        }
    }

    private void write(Entry e) throws ProviderException {
        try {
            Files.writeString(journal, JSON.writeValueAsString(e) + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND, StandardOpenOption.DSYNC);
        } catch (IOException ex) {
            throw new ProviderException("byon profile " + profile + ": cannot write the allocation journal " + journal + ": "
                    + ex.getMessage(), true, ex);
        }
    }
}
