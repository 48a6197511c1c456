package io.rulescaler.action.puppet;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.Optional;

/** Where the Puppet code lives and how the OSConfiguration action runs it on a node. */
@ConfigMapping(prefix = "rulescaler.puppet")
public interface PuppetConfig {

    /** Local folder with manifests/ and modules/ that is copied to each node. */
    @WithDefault("puppet")
    String directory();

    /**
     * Folder on the node under which each task unpacks its copy (removed after the run); a relative
     * path is taken from the SSH user's home directory.
     */
    @WithDefault(".rulescaler/puppet")
    String remoteDirectory();

    /** The command that applies a manifest on the node. */
    @WithDefault("puppet apply")
    String command();

    /** Extra arguments appended to every run, e.g. {@code --noop} or {@code --debug}. */
    Optional<String> extraArguments();
}
