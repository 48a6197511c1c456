package io.rulescaler.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import io.rulescaler.security.Roles;
import io.rulescaler.signal.AlertValidation;
import io.rulescaler.signal.AlertmanagerPayload;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Map;

/**
 * Test-only durable floor for the webhook benchmark: the bare endpoint's auth, JSON parsing and
 * checks, then the delivery's alerts stored with one multi-row INSERT and one commit per request
 * through the service's own connection pool, into the same table. What the real webhook promises
 * (stored before the 2xx) at its simplest, without group commit, deduplication or rules.
 */
@Path("/bench/committing-webhook")
public class CommittingWebhookResource {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final AgroalDataSource dataSource;

    public CommittingWebhookResource(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.WEBHOOK)
    public Map<String, Object> receive(AlertmanagerPayload payload) throws SQLException, JsonProcessingException {
        AlertValidation.validate(payload);
        int n = payload.alerts().size();
        if (n == 0) {
            return Map.of("received", 0);
        }
        StringBuilder sql = new StringBuilder("INSERT IGNORE INTO alert_event (fingerprint, starts_at, status, alert_name,"
                + " cluster_name, matched, labels_json, annotations_json, ends_at, generator_url, receiver, group_key, received_at) VALUES ");
        for (int i = 0; i < n; i++) {
            sql.append(i == 0 ? "" : ",").append("(?,?,?,?,?,?,?,?,?,?,?,?,?)");
        }
        Timestamp now = Timestamp.from(Instant.now().truncatedTo(ChronoUnit.MICROS));
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
                int p = 1;
                for (AlertmanagerPayload.Item a : payload.alerts()) {
                    ps.setString(p++, a.fingerprint());
                    ps.setTimestamp(p++, Timestamp.from(OffsetDateTime.parse(a.startsAt()).toInstant()));
                    ps.setString(p++, a.status());
                    ps.setString(p++, a.labels().get("alertname"));
                    ps.setString(p++, a.labels().get("cluster"));
                    ps.setBoolean(p++, false);
                    ps.setString(p++, JSON.writeValueAsString(a.labels()));
                    ps.setString(p++, JSON.writeValueAsString(a.annotations() == null ? Map.of() : a.annotations()));
                    ps.setTimestamp(p++, null);
                    ps.setString(p++, a.generatorURL());
                    ps.setString(p++, payload.receiver());
                    ps.setString(p++, payload.groupKey());
                    ps.setTimestamp(p++, now);
                }
                ps.executeUpdate();
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
        return Map.of("received", n);
    }
}
