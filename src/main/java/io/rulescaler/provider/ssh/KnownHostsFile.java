package io.rulescaler.provider.ssh;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;

/**
 * Host keys in a file in OpenSSH known_hosts format (so {@code ssh} and Fabric can read it too); right for one
 * instance, while several instances share {@link DatabaseHostKeyStore}.
 */
public final class KnownHostsFile implements HostKeyStore {

    private final Path file;

    public KnownHostsFile(Path file) {
        this.file = file;
    }

    public Path path() {
        return file;
    }

    /** Checks the key against the file, recording it when the host is new; never throws for a mismatch. */
    @Override
    public synchronized Verdict verify(String hostName, PublicKey key) {
        String presented = PublicKeyEntry.toString(key);
        List<String> recorded = keysOf(hostName);
        if (recorded.isEmpty()) {
            append(hostName + " " + presented);
            return Verdict.RECORDED;
        }
        return recorded.contains(presented) ? Verdict.MATCHED : Verdict.CHANGED;
    }

    /** The recorded keys ("type base64") for a host name as written by {@link SshTarget#knownHostsName()}. */
    @Override
    public synchronized List<String> keysOf(String hostName) {
        List<String> keys = new ArrayList<>();
        if (!Files.exists(file)) {
            return keys;
        }
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                String trimmed = line.trim();
                if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                    continue;
                }
                String[] parts = trimmed.split("\\s+");
                if (parts.length < 3) {
                    continue;
                }
                for (String name : parts[0].split(",")) {
                    if (name.equals(hostName)) {
                        keys.add(parts[1] + " " + parts[2]);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read known hosts file " + file, e);
        }
        return keys;
    }

    @Override
    public String describe() {
        return "known hosts file " + file.toAbsolutePath();
    }

    @Override
    public synchronized void exportKnownHosts(Path target) throws IOException {
        if (Files.exists(file)) {
            Files.copy(file, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } else {
            Files.writeString(target, "");
        }
    }

    /** SHA256 fingerprint of a key, as {@code ssh-keygen -l} prints it. */
    public static String fingerprint(PublicKey key) {
        return KeyUtils.getFingerPrint(key);
    }

    private void append(String line) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.writeString(file, line + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write known hosts file " + file, e);
        }
    }
}
