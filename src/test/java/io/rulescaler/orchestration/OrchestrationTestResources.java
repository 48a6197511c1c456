package io.rulescaler.orchestration;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Gives every @QuarkusTest a real SMTP server (GreenMail) and a chains folder holding the shipped
 * chains plus the test chains from src/test/chains; registered for all tests so the app starts once.
 */
@QuarkusTestResource(OrchestrationTestResources.class)
public class OrchestrationTestResources implements QuarkusTestResourceLifecycleManager {

    public static final Path CHAINS = Path.of("target/test-chains").toAbsolutePath();
    private static GreenMail greenMail;

    /** The SMTP server every test mail goes to. */
    public static synchronized GreenMail mail() {
        return greenMail;
    }

    @Override
    public synchronized Map<String, String> start() {
        copyChains();
        if (greenMail == null) {
            ServerSetup setup = new ServerSetup(freePort(), "127.0.0.1", ServerSetup.PROTOCOL_SMTP);
            greenMail = new GreenMail(setup);
            greenMail.start();
            // a stalled SMTP conversation is cut by the server after 3 s instead of 30 s; the mailer then
            // retries once (ServerSetup#setReadTimeout is the test client's timeout, not the server's)
            greenMail.getSmtp().setClientSocketTimeout(3000);
        }
        return Map.of("quarkus.mailer.mock", "false",
                "quarkus.mailer.host", "127.0.0.1",
                "quarkus.mailer.port", Integer.toString(greenMail.getSmtp().getPort()),
                "quarkus.mailer.start-tls", "DISABLED",
                "quarkus.mailer.tls", "false",
                "quarkus.mailer.keep-alive", "false",
                "rulescaler.orchestration.chains-directory", CHAINS.toString());
    }

    @Override
    public synchronized void stop() {
        // GreenMail lives as long as the test JVM; a later app start reuses it
    }

    /** Copies actions/*.yaml and src/test/chains/*.yaml into the test chains folder. */
    public static void copyChains() {
        try {
            Files.createDirectories(CHAINS);
            for (Path dir : new Path[] {Path.of("actions"), Path.of("src/test/chains")}) {
                try (Stream<Path> s = Files.list(dir)) {
                    for (Path f : s.filter(p -> p.toString().endsWith(".yaml")).toList()) {
                        Files.copy(f, CHAINS.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int freePort() {
        try {
            return io.rulescaler.testing.FreePorts.next();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
