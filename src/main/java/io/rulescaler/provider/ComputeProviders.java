package io.rulescaler.provider;

import io.rulescaler.boot.StorageConfig;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;
import org.jclouds.ContextBuilder;
import org.jclouds.compute.ComputeServiceContext;

/**
 * Opens one jclouds context per provider profile on first use and keeps it. The {@code stub}
 * profile needs no configuration; its machines are journaled under the data folder. Every new
 * machine is tagged with this installation's id ({@link InstallationTagging}).
 */
@ApplicationScoped
public class ComputeProviders {

    private static final Logger LOG = Logger.getLogger(ComputeProviders.class);
    private final ComputeConfig config;
    private final Path dataDir;
    private final Map<String, ComputeProvider> open = new ConcurrentHashMap<>();
    private final Map<String, JcloudsComputeProvider> contexts = new ConcurrentHashMap<>();
    private final Installation installation;

    /** Providers whose new machines are not tagged with an installation id (tests without a database). */
    public ComputeProviders(ComputeConfig config, StorageConfig storage) {
        this(config, storage, null);
    }

    @Inject
    public ComputeProviders(ComputeConfig config, StorageConfig storage, Installation installation) {
        this.config = config;
        this.dataDir = Path.of(storage.dataDir()).toAbsolutePath();
        this.installation = installation;
    }

    /** Profile names a cluster may use. */
    public Set<String> profiles() {
        Set<String> names = new TreeSet<>(config.profiles().keySet());
        names.add("stub");
        return names;
    }

    /** The provider for a profile, or a non-retryable failure naming what to configure. */
    public ComputeProvider get(String profile) throws ProviderException {
        ComputeProvider p = open.get(profile);
        if (p != null) {
            return p;
        }
        synchronized (this) {
            p = open.get(profile);
            if (p == null) {
                p = openProfile(profile);
                if (installation != null) {
                    p = new InstallationTagging(p, installation::id);
                }
                open.put(profile, p);
            }
            return p;
        }
    }

    /** How long one provider call of this profile may take. */
    public Duration callTimeout(String profile) {
        ComputeConfig.Profile p = config.profiles().get(profile);
        return p == null ? Duration.ofMinutes(10) : p.callTimeout();
    }

    private ComputeProvider openProfile(String profile) throws ProviderException {
        ComputeConfig.Profile p = config.profiles().get(profile);
        if (p == null && !"stub".equals(profile)) {
            throw new ProviderException("no compute provider profile '" + profile + "' is configured; add "
                    + "rulescaler.compute.profiles." + profile + ".api=<stub|aws-ec2|openstack-nova|byon> (known: "
                    + profiles() + ")", false);
        }
        String api = p == null ? "stub" : p.api();
        if ("byon".equals(api)) {
            String hosts = p.hostsFile().or(p::endpoint).orElseThrow(() -> new ProviderException("byon profile '" + profile
                    + "' needs rulescaler.compute.profiles." + profile + ".hosts-file (a YAML list of {host, port, user, zone})", false));
            ComputeProvider byon = new ByonComputeProvider(profile, Path.of(hosts).toAbsolutePath(),
                    dataDir.resolve("byon").resolve(profile + ".jsonl"));
            LOG.infof("compute provider opened profile=%s api=byon hosts-file=%s", profile, hosts);
            return byon;
        }
        String identity = p == null ? profile : p.identity().orElse(profile);
        Properties props = new Properties();
        if ("stub".equals(api)) {
            props.setProperty("jclouds.compute.poll-status.initial-period", "10");
            props.setProperty("jclouds.compute.poll-status.max-period", "50");
        }
        if (p != null) {
            props.putAll(p.jclouds());
        }
        ComputeServiceContext ctx;
        try {
            ContextBuilder b = ContextBuilder.newBuilder(api).credentials(identity, p == null ? "stub" : p.credential().orElse(""))
                    .overrides(props);
            if (p != null && p.endpoint().isPresent()) {
                b.endpoint(p.endpoint().get());
            }
            ctx = b.buildView(ComputeServiceContext.class);
        } catch (java.util.NoSuchElementException e) {
            throw new ProviderException("jclouds provider/api '" + api + "' of profile '" + profile + "' is not in this build "
                    + "(bundled: stub, aws-ec2, openstack-nova, and byon of our own; another needs its org.apache.jclouds artifact in the pom)", false, e);
        } catch (RuntimeException e) {
            throw ProviderErrors.translate(profile, "open the provider", e);
        }
        JcloudsComputeProvider jp;
        if ("stub".equals(api)) {
            StubJournal journal = new StubJournal(dataDir.resolve("stub").resolve(profile + ".jsonl"));
            journal.restore(ctx, identity);
            jp = new JcloudsComputeProvider(profile, ctx, journal);
        } else {
            jp = new JcloudsComputeProvider(profile, ctx, null);
        }
        contexts.put(profile, jp);
        LOG.infof("compute provider opened profile=%s api=%s", profile, api);
        boolean faulty = p != null && "stub".equals(api) && (!p.faultDelay().isZero() || p.faultFailFirst() > 0
                || p.faultAlwaysFail().isPresent() || p.faultListFails());
        return faulty ? new FaultInjectingStubCompute(jp, p) : jp;
    }

    @PreDestroy
    void close() {
        contexts.values().forEach(c -> c.context().close());
    }

    Optional<ComputeProvider> ifOpen(String profile) {
        return Optional.ofNullable(open.get(profile));
    }
}
