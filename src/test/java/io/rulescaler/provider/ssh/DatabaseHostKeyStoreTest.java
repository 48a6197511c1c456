package io.rulescaler.provider.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.rulescaler.testing.SshdHost;
import jakarta.inject.Inject;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** Host keys kept in the database (migration V5) so that every instance trusts the same key. */
@QuarkusTest
class DatabaseHostKeyStoreTest {

    @Inject
    DataSource dataSource;

    @Inject
    SshConnector ssh;

    static PublicKey newKey() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(256);
        return generator.generateKeyPair().getPublic();
    }

    @Test
    void theServiceRecordsAHostKeyInTheTableOnFirstContact() throws Exception {
        try (SshdHost host = new SshdHost().start()) {
            Path known = Files.createTempFile("known", "");
            SshSettings test = SshdHost.settings(known);
            try (SshConnector connector = new SshConnector(test, new DatabaseHostKeyStore(dataSource, Clock.systemUTC()))) {
                connector.exec(connector.target(host.address(), null), "true", null, OutputStream.nullOutputStream(), Duration.ofSeconds(20));
            }
            String[] hostKey = host.hostPublicKey().split(" ");
            assertEquals(List.of(hostKey[0] + " " + hostKey[1]), ssh.knownHosts().keysOf("[127.0.0.1]:" + host.port()),
                    "the service's own connector sees the key another connector recorded");
            ssh.knownHosts().exportKnownHosts(known);
            assertTrue(Files.readString(known).contains("[127.0.0.1]:" + host.port() + " " + hostKey[0] + " " + hostKey[1] + "\n"));
            Files.delete(known);
        }
    }

    @Test
    void twoInstancesMeetingANewHostAtOnceTrustOneKey() throws Exception {
        String hostName = "[race-" + UUID.randomUUID() + "]:22";
        PublicKey first = newKey();
        PublicKey second = newKey();
        HostKeyStore a = new DatabaseHostKeyStore(dataSource, Clock.systemUTC());
        HostKeyStore b = new DatabaseHostKeyStore(dataSource, Clock.systemUTC());
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<HostKeyStore.Verdict>> verdicts = new ArrayList<>();
            verdicts.add(pool.submit(() -> { go.await(); return a.verify(hostName, first); }));
            verdicts.add(pool.submit(() -> { go.await(); return b.verify(hostName, second); }));
            go.countDown();
            List<HostKeyStore.Verdict> seen = new ArrayList<>();
            for (Future<HostKeyStore.Verdict> v : verdicts) {
                seen.add(v.get());
            }
            seen.sort(null);
            assertEquals(List.of(HostKeyStore.Verdict.RECORDED, HostKeyStore.Verdict.CHANGED), seen);
        } finally {
            pool.shutdown();
        }
        assertEquals(1, a.keysOf(hostName).size());
        PublicKey kept = a.keysOf(hostName).get(0).equals(org.apache.sshd.common.config.keys.PublicKeyEntry.toString(first)) ? first : second;
        assertEquals(HostKeyStore.Verdict.MATCHED, b.verify(hostName, kept));
    }

    @Test
    void aChangedKeyIsRefusedThroughTheConnector() throws Exception {
        try (SshdHost host = new SshdHost().start()) {
            HostKeyStore store = new DatabaseHostKeyStore(dataSource, Clock.systemUTC());
            store.verify("[127.0.0.1]:" + host.port(), newKey());
            try (SshConnector connector = new SshConnector(SshdHost.settings(Path.of("unused")), store)) {
                SshFailure failure = assertThrows(SshFailure.class, () -> connector.exec(connector.target(host.address(), null),
                        "true", null, OutputStream.nullOutputStream(), Duration.ofSeconds(20)));
                assertEquals(SshFailure.Kind.HOST_KEY_CHANGED, failure.kind());
                assertTrue(failure.getMessage().contains("table ssh_host_key"), failure.getMessage());
            }
        }
    }
}
