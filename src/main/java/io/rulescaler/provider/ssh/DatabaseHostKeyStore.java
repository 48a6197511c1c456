package io.rulescaler.provider.ssh;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.apache.sshd.common.config.keys.PublicKeyEntry;

/**
 * Host keys in the {@code ssh_host_key} table (migration V5), so every instance of the service trusts the same
 * key: the first instance to meet a host records its key ({@code INSERT IGNORE} on the host name, race-free
 * across instances), and every instance checks against that row afterwards.
 */
public final class DatabaseHostKeyStore implements HostKeyStore {

    private final DataSource dataSource;
    private final Clock clock;

    public DatabaseHostKeyStore(DataSource dataSource, Clock clock) {
        this.dataSource = dataSource;
        this.clock = clock;
    }

    @Override
    public Verdict verify(String hostName, PublicKey key) {
        String presented = PublicKeyEntry.toString(key);
        String[] parts = presented.split(" ", 2);
        try (Connection c = dataSource.getConnection()) {
            int inserted;
            try (PreparedStatement insert = c.prepareStatement(
                    "INSERT IGNORE INTO ssh_host_key (host_name, key_type, public_key, fingerprint, recorded_at) VALUES (?, ?, ?, ?, ?)")) {
                insert.setString(1, hostName);
                insert.setString(2, parts[0]);
                insert.setString(3, parts[1]);
                insert.setString(4, KnownHostsFile.fingerprint(key));
                insert.setTimestamp(5, Timestamp.from(clock.instant()));
                inserted = insert.executeUpdate();
            }
            if (inserted == 1) {
                return Verdict.RECORDED;
            }
            return keysOf(c, hostName).contains(presented) ? Verdict.MATCHED : Verdict.CHANGED;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot check host key of " + hostName + ": " + e.getMessage(), e);
        }
    }

    @Override
    public List<String> keysOf(String hostName) {
        try (Connection c = dataSource.getConnection()) {
            return keysOf(c, hostName);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read host key of " + hostName + ": " + e.getMessage(), e);
        }
    }

    private static List<String> keysOf(Connection c, String hostName) throws SQLException {
        List<String> keys = new ArrayList<>();
        try (PreparedStatement select = c.prepareStatement("SELECT key_type, public_key FROM ssh_host_key WHERE host_name = ?")) {
            select.setString(1, hostName);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    keys.add(rs.getString(1) + " " + rs.getString(2));
                }
            }
        }
        return keys;
    }

    @Override
    public String describe() {
        return "table ssh_host_key";
    }

    @Override
    public void exportKnownHosts(Path target) throws IOException {
        StringBuilder out = new StringBuilder();
        try (Connection c = dataSource.getConnection();
                PreparedStatement select = c.prepareStatement("SELECT host_name, key_type, public_key FROM ssh_host_key ORDER BY host_name");
                ResultSet rs = select.executeQuery()) {
            while (rs.next()) {
                out.append(rs.getString(1)).append(' ').append(rs.getString(2)).append(' ').append(rs.getString(3)).append('\n');
            }
        } catch (SQLException e) {
            throw new IOException("cannot read host keys: " + e.getMessage(), e);
        }
        Files.writeString(target, out.toString(), StandardCharsets.UTF_8);
    }
}
