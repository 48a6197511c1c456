package io.rulescaler.provider;

import io.rulescaler.cluster.ClusterSpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Wraps a provider profile so that every machine it creates carries this installation's id
 * ({@link Machine#TAG_INSTALLATION}) unless the caller set one; everything else passes through.
 */
final class InstallationTagging implements ComputeProvider {

    private final ComputeProvider delegate;
    private final Supplier<String> installation;

    InstallationTagging(ComputeProvider delegate, Supplier<String> installation) {
        this.delegate = delegate;
        this.installation = installation;
    }

    @Override
    public String profile() {
        return delegate.profile();
    }

    @Override
    public Machine create(String group, String name, String zone, ClusterSpec.NodeTemplate template, Map<String, String> tags)
            throws ProviderException {
        Map<String, String> withId = new LinkedHashMap<>(tags == null ? Map.of() : tags);
        withId.putIfAbsent(Machine.TAG_INSTALLATION, installation.get());
        return delegate.create(group, name, zone, template, withId);
    }

    @Override
    public Optional<Machine> findByTag(String key, String value) throws ProviderException {
        return delegate.findByTag(key, value);
    }

    @Override
    public void destroy(String providerId) throws ProviderException {
        delegate.destroy(providerId);
    }

    @Override
    public List<Machine> list() throws ProviderException {
        return delegate.list();
    }

    @Override
    public Optional<String> installation() {
        return Optional.of(installation.get());
    }
}
