package io.rulescaler.action.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rulescaler.action.ActionException;
import io.rulescaler.action.ActionResult;
import io.rulescaler.action.TaskContext.TargetNode;
import io.rulescaler.provider.dns.DnsRegistrars;
import io.rulescaler.testing.BindServer;
import io.rulescaler.testing.RecordingTaskContext;
import io.rulescaler.testing.RemoteTestConfig;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** RegisterDns and RemoveDns sending TSIG-signed RFC 2136 updates to a real BIND, checked with dig. */
class DnsActionsAgainstBindTest {

    static BindServer bind;

    @BeforeAll
    static void start() throws Exception {
        bind = new BindServer("example.test");
    }

    @AfterAll
    static void stop() {
        bind.close();
    }

    static RecordingTaskContext context(TargetNode node) {
        return new RecordingTaskContext(RecordingTaskContext.cluster("dns-web", "web.example.test", null)).node(node);
    }

    @Test
    void recordAppearsMovesAndDisappears() throws Exception {
        DnsRegistrars registrars = RemoteTestConfig.dns(bind.port(), bind.secret());
        TargetNode node = new TargetNode(1, "dns-web-3", 3, "Zone_A", "10.9.8.7:2222", "p");

        ActionResult registered = new RegisterDns(registrars).run(context(node));

        assertEquals("3.zone-a.web.example.test", registered.outputs().get("dns.name"));
        assertEquals(List.of("10.9.8.7"), bind.dig("3.zone-a.web.example.test", "A"));

        new RegisterDns(registrars).run(context(new TargetNode(1, "dns-web-3", 3, "Zone_A", "10.9.8.8", "p")));
        assertEquals(List.of("10.9.8.8"), bind.dig("3.zone-a.web.example.test", "A"), "the old address is replaced, not added");

        new RemoveDns(registrars).run(context(node));
        assertEquals(List.of(), bind.dig("3.zone-a.web.example.test", "A"));
        new RemoveDns(registrars).run(context(node));
        assertEquals(List.of(), bind.dig("3.zone-a.web.example.test", "A"), "removing an absent name succeeds");
    }

    @Test
    void ipv6AddressBecomesAaaaAndNodeWithoutZoneDropsTheLabel() throws Exception {
        DnsRegistrars registrars = RemoteTestConfig.dns(bind.port(), bind.secret());
        ActionResult result = new RegisterDns(registrars).run(context(new TargetNode(2, "n", 5, null, "[fd00::5]:22", "p")));
        assertEquals("5.web.example.test", result.outputs().get("dns.name"));
        assertEquals(List.of("fd00::5"), bind.dig("5.web.example.test", "AAAA"));
    }

    @Test
    void updateWithWrongKeyIsRefusedAndChangesNothing() throws Exception {
        DnsRegistrars wrong = RemoteTestConfig.dns(bind.port(), "d3Jvbmcgc2VjcmV0IHdyb25nIHNlY3JldCB3cm9uZyE=");
        ActionException failure = assertThrows(ActionException.class,
                () -> new RegisterDns(wrong).run(context(new TargetNode(3, "n", 7, "b", "10.1.1.1", "p"))));
        assertTrue(failure.getMessage().contains("refused update"), failure.getMessage());
        assertFalse(failure.retryable());
        assertEquals(List.of(), bind.dig("7.b.web.example.test", "A"));
    }

    @Test
    void nodeWithoutIndexCannotBeNamed() {
        ActionException failure = assertThrows(ActionException.class, () -> new RegisterDns(RemoteTestConfig.dns(bind.port(), bind.secret()))
                .run(context(new TargetNode(4, "n", 0, "b", "10.1.1.2", "p"))));
        assertTrue(failure.getMessage().contains("has no index"), failure.getMessage());
    }
}
