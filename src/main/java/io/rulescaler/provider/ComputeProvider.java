package io.rulescaler.provider;

import io.rulescaler.cluster.ClusterSpec;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** One provider profile's machines: create, find by tag, destroy, list. Small on purpose. */
public interface ComputeProvider {

    /** The profile name clusters use. */
    String profile();

    /** Creates one machine in {@code group} named {@code name}, tagged with {@code tags}. */
    Machine create(String group, String name, String zone, ClusterSpec.NodeTemplate template, Map<String, String> tags)
            throws ProviderException;

    /** A live (not terminated) machine carrying tag {@code key=value}, if any. */
    Optional<Machine> findByTag(String key, String value) throws ProviderException;

    /** Destroys the machine; a machine that is already gone is not an error. */
    void destroy(String providerId) throws ProviderException;

    /** Every live machine of the profile. */
    List<Machine> list() throws ProviderException;

    /** The installation id this provider tags new machines with ({@link Machine#TAG_INSTALLATION}), if any. */
    default Optional<String> installation() {
        return Optional.empty();
    }
}
