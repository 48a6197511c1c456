package io.rulescaler.signal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The minute's summary line adds up the deliveries and starts afresh; a quiet minute logs nothing. */
class WebhookLogTest {

    static AlertmanagerPayload payload(int alerts) {
        List<AlertmanagerPayload.Item> items = new java.util.ArrayList<>();
        for (int i = 0; i < alerts; i++) {
            items.add(new AlertmanagerPayload.Item("firing", Map.of("alertname", "A"), Map.of(), "2026-01-01T00:00:00Z", null, null, "f" + i));
        }
        return new AlertmanagerPayload("4", "g", 0, "firing", "rulescaler", Map.of(), Map.of(), Map.of(), null, items);
    }

    @Test
    void summarisesTheDeliveriesSinceTheLastLineAndStaysQuietWithoutAny() {
        WebhookLog log = new WebhookLog();
        assertNull(log.takeSummary(), "no deliveries, no line");
        log.delivery(payload(3), 2, 1);
        log.delivery(payload(1), 0, 0);
        assertEquals("alertmanager webhook in the last minute: deliveries=2 alerts=4 new=2 duplicates=2 unmatched=1", log.takeSummary());
        assertNull(log.takeSummary(), "counted afresh after each line");
        log.delivery(payload(2), 2, 0);
        assertEquals("alertmanager webhook in the last minute: deliveries=1 alerts=2 new=2 duplicates=0 unmatched=0", log.takeSummary());
    }
}
