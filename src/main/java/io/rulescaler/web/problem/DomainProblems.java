package io.rulescaler.web.problem;

import io.rulescaler.error.ConflictException;
import io.rulescaler.error.DomainException;
import io.rulescaler.error.GuardRefusedException;
import io.rulescaler.error.InternalFailureException;
import io.rulescaler.error.InvalidInputException;
import io.rulescaler.error.InvalidRulesException;
import io.rulescaler.error.NotFoundException;
import io.rulescaler.error.NotPermittedException;
import io.rulescaler.error.RefusedException;
import io.rulescaler.error.StaleVersionException;
import io.rulescaler.error.UnavailableException;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** The one place that says which HTTP status, problem type and title each kind of domain failure gets. */
public class DomainProblems {

    /** How one kind of domain failure is answered; the title unless the failure names its own. */
    record Kind(int status, String title, String type) {

        Kind(int status, String title) {
            this(status, title, Problem.typeFor(status));
        }
    }

    static final Map<Class<? extends DomainException>, Kind> KINDS = Map.ofEntries(
            Map.entry(InvalidInputException.class, new Kind(400, "Invalid request")),
            Map.entry(InvalidRulesException.class, new Kind(400, "Rules do not compile",
                    "https://rulescaler.io/problems/rule-compile-error")),
            Map.entry(NotPermittedException.class, new Kind(403, "Forbidden")),
            Map.entry(NotFoundException.class, new Kind(404, "Not found")),
            Map.entry(ConflictException.class, new Kind(409, "Conflict")),
            Map.entry(GuardRefusedException.class, new Kind(409, "Refused by the guard",
                    "https://rulescaler.io/problems/refused-by-guard")),
            Map.entry(StaleVersionException.class, new Kind(412, "Precondition failed")),
            Map.entry(RefusedException.class, new Kind(422, "Refused")),
            Map.entry(InternalFailureException.class, new Kind(500, "Internal error")),
            Map.entry(UnavailableException.class, new Kind(503, "Unavailable")));

    @ServerExceptionMapper
    public Response domain(DomainException e) {
        Kind kind = KINDS.get(e.getClass());
        Response.ResponseBuilder r = Response.status(kind.status()).type(Problem.MEDIA).entity(body(e));
        if (e instanceof UnavailableException u) {
            r.header("Retry-After", retryAfterSeconds(u.retryAfter()));
        }
        return r.build();
    }

    /** Retry-After in whole seconds, at least 1. */
    static long retryAfterSeconds(java.time.Duration d) {
        return Math.max(1, (d.toMillis() + 999) / 1000);
    }

    /** The problem body: a {@link Problem}, or the same members in the same order plus the failure's extensions. */
    static Object body(DomainException e) {
        Kind kind = KINDS.get(e.getClass());
        String title = e.title() == null ? kind.title() : e.title();
        if (e.extensions().isEmpty()) {
            return new Problem(kind.type(), title, kind.status(), e.getMessage(), e.field(), null);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", kind.type());
        body.put("title", title);
        body.put("status", kind.status());
        body.put("detail", e.getMessage());
        if (e.field() != null) {
            body.put("field", e.field());
        }
        body.putAll(e.extensions());
        return body;
    }
}
