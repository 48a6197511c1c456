package io.rulescaler.provider;

import io.rulescaler.cluster.ClusterSpec;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * TEST-ONLY wrapper around the jclouds stub that makes it slow and failing on purpose (delays,
 * the first N creates of a node failing with a chosen kind, names that always fail, listing that
 * fails), so retries, timeouts, rollback, crash recovery and reconciliation can be tested against a
 * provider that behaves badly.
 * Half the delay comes before the machine exists and half after, so a crash in the second half
 * leaves a machine the retried task must adopt instead of creating twice.
 */
final class FaultInjectingStubCompute implements ComputeProvider {

    private final JcloudsComputeProvider delegate;
    private final Duration delay;
    private final int failFirst;
    private final ProviderErrors.Kind kind;
    private final Pattern alwaysFail;
    private final boolean listFails;
    private final Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();

    FaultInjectingStubCompute(JcloudsComputeProvider delegate, ComputeConfig.Profile p) {
        this.delegate = delegate;
        this.delay = p.faultDelay();
        this.failFirst = p.faultFailFirst();
        this.kind = ProviderErrors.Kind.valueOf(p.faultKind().toUpperCase());
        this.alwaysFail = p.faultAlwaysFail().map(Pattern::compile).orElse(null);
        this.listFails = p.faultListFails();
    }

    @Override
    public String profile() {
        return delegate.profile();
    }

    @Override
    public Machine create(String group, String name, String zone, ClusterSpec.NodeTemplate template, Map<String, String> tags)
            throws ProviderException {
        pause(delay.toMillis() / 2);
        int n = attempts.computeIfAbsent(name, k -> new AtomicInteger()).incrementAndGet();
        if (alwaysFail != null && alwaysFail.matcher(name).matches() || n <= failFirst) {
            throw ProviderErrors.of(profile(), "create machine " + name, kind,
                    "injected fault " + n + (alwaysFail != null && alwaysFail.matcher(name).matches() ? " (always)" : " of " + failFirst), null);
        }
        Machine m = delegate.create(group, name, zone, template, tags);
        pause(delay.toMillis() - delay.toMillis() / 2);
        return m;
    }

    @Override
    public Optional<Machine> findByTag(String key, String value) throws ProviderException {
        return delegate.findByTag(key, value);
    }

    @Override
    public void destroy(String providerId) throws ProviderException {
        pause(delay.toMillis() / 2);
        delegate.destroy(providerId);
    }

    @Override
    public List<Machine> list() throws ProviderException {
        if (listFails) {
            throw ProviderErrors.of(profile(), "list machines", ProviderErrors.Kind.TIMEOUT, "injected fault (list)", null);
        }
        return delegate.list();
    }

    private static void pause(long ms) throws ProviderException {
        if (ms <= 0) {
            return;
        }
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProviderException("interrupted while waiting on the (slow) provider", true, e);
        }
    }
}
