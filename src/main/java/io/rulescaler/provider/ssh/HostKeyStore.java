package io.rulescaler.provider.ssh;

import java.io.IOException;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.List;

/**
 * Where host keys are recorded on first contact and checked on every later one (trust on first use).
 *
 * <pre>
 *   unknown host ──record──> known ──same key──> accepted
 *                              └────other key──> rejected (HOST_KEY_CHANGED)
 * </pre>
 */
public interface HostKeyStore {

    /** What checking a presented key found. */
    enum Verdict { RECORDED, MATCHED, CHANGED }

    /** Checks the key for {@code hostName} ({@code host} or {@code [host]:port}), recording it when the host is new. */
    Verdict verify(String hostName, PublicKey key);

    /** The recorded keys ("type base64") of a host. */
    List<String> keysOf(String hostName);

    /** Where an operator removes a rebuilt host's key (for messages). */
    String describe();

    /** Writes every recorded key in OpenSSH known_hosts format (for Fabric and {@code ssh}). */
    void exportKnownHosts(Path target) throws IOException;
}
