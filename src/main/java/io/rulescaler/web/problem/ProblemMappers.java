package io.rulescaler.web.problem;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.rulescaler.boot.DatabaseAway;
import io.rulescaler.boot.DatabaseConfig;
import io.rulescaler.error.JsonPaths;
import jakarta.persistence.OptimisticLockException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.sql.SQLException;
import java.util.Comparator;
import java.util.List;
import org.hibernate.StaleObjectStateException;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Turns every failure into application/problem+json (domain exceptions: {@link DomainProblems});
 * stack traces stay in the log. A failure caused by the database being away ({@link DatabaseAway}) is a 503
 * with Retry-After, not a 500.
 */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    private final DatabaseConfig database;

    public ProblemMappers(DatabaseConfig database) {
        this.database = database;
    }

    @ServerExceptionMapper
    public Response validation(ConstraintViolationException e) {
        List<Problem.FieldError> errors = e.getConstraintViolations().stream()
                .map(v -> new Problem.FieldError(fieldOf(v), v.getMessage()))
                .sorted(Comparator.comparing(Problem.FieldError::field))
                .toList();
        Problem.FieldError first = errors.isEmpty() ? new Problem.FieldError(null, "invalid") : errors.get(0);
        String detail = errors.size() == 1
                ? first.field() + ": " + first.message()
                : errors.size() + " invalid fields; first " + first.field() + ": " + first.message();
        return new Problem(Problem.typeFor(400), "Invalid request", 400, detail, first.field(), errors).toResponse();
    }

    @ServerExceptionMapper
    public Response unknownField(UnrecognizedPropertyException e) {
        String field = JsonPaths.of(e);
        return Problem.of(400, "Unknown field", "unknown field '" + field + "'"
                + " (known here: " + e.getKnownPropertyIds() + ")", field).toResponse();
    }

    @ServerExceptionMapper
    public Response wrongType(InvalidFormatException e) {
        String field = JsonPaths.of(e);
        return Problem.of(400, "Invalid value", "field '" + field + "' cannot take the value '" + e.getValue()
                + "': expected " + e.getTargetType().getSimpleName(), field).toResponse();
    }

    @ServerExceptionMapper
    public Response mismatched(MismatchedInputException e) {
        String field = JsonPaths.of(e);
        String detail = field.isEmpty()
                ? "the body does not have the expected shape"
                : "field '" + field + "' has the wrong type";
        return Problem.of(400, "Invalid value", detail, field.isEmpty() ? null : field).toResponse();
    }

    @ServerExceptionMapper
    public Response malformed(JsonParseException e) {
        return Problem.of(400, "Malformed JSON", "the body is not valid JSON: " + JsonPaths.withoutSource(e.getOriginalMessage())
                + " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr(), null)
                .toResponse();
    }

    @ServerExceptionMapper
    public Response otherJson(JsonMappingException e) {
        return Problem.of(400, "Invalid request", "the body could not be read: " + JsonPaths.withoutSource(e.getOriginalMessage()),
                JsonPaths.of(e)).toResponse();
    }

    @ServerExceptionMapper
    public Response otherJsonProcessing(JsonProcessingException e) {
        return Problem.of(400, "Malformed JSON", "the body is not valid JSON: " + JsonPaths.withoutSource(e.getOriginalMessage()), null)
                .toResponse();
    }

    @ServerExceptionMapper
    public Response unauthenticated(UnauthorizedException e) {
        return unauthorizedResponse();
    }

    @ServerExceptionMapper
    public Response authFailed(AuthenticationFailedException e) {
        SQLException away = DatabaseAway.causeOf(e);
        if (away != null) {
            return databaseAway(e, away); // the token could not be looked up: not the caller's fault, and Alertmanager retries 5xx only
        }
        return unauthorizedResponse();
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e) {
        return Problem.of(403, "Forbidden", "this token's role may not do this", null).toResponse();
    }

    @ServerExceptionMapper
    public Response stale(OptimisticLockException e) {
        return Problem.of(409, "Conflict", "the resource was changed by someone else; read it again and retry", null)
                .toResponse();
    }

    @ServerExceptionMapper
    public Response staleHibernate(StaleObjectStateException e) {
        return stale(null);
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        String title = e.getResponse().getStatusInfo().getReasonPhrase();
        String detail = switch (status) {
            case 404 -> "no resource at this path";
            case 405 -> "this method is not allowed here";
            case 406 -> "the requested representation is not available; ask for application/json";
            case 413 -> "the request body is too large";
            case 415 -> "unsupported content type; send application/json";
            default -> e.getMessage() == null ? title : e.getMessage();
        };
        if (e.getCause() instanceof JsonProcessingException jpe) {
            return otherJsonProcessing(jpe);
        }
        Response.ResponseBuilder b = Response.status(status).type(Problem.MEDIA)
                .entity(Problem.of(status, title, detail, null));
        e.getResponse().getHeaders().forEach((k, v) -> {
            if (k.equalsIgnoreCase("Allow") || k.equalsIgnoreCase("WWW-Authenticate")) {
                v.forEach(x -> b.header(k, x));
            }
        });
        return b.build();
    }

    @ServerExceptionMapper(priority = 10_000)
    public Response unexpected(Throwable e) {
        if (e instanceof ConstraintViolationException cve) {
            return validation(cve);
        }
        SQLException away = DatabaseAway.causeOf(e);
        if (away != null) {
            return databaseAway(e, away);
        }
        LOG.errorf(e, "unexpected error: %s", e.toString());
        return Problem.of(500, "Internal error",
                "the service failed unexpectedly; the log has the details (" + e.getClass().getSimpleName() + ")", null)
                .toResponse();
    }

    /** 503 with Retry-After: the database did not answer within the bound; the same request works once it is back. */
    Response databaseAway(Throwable e, SQLException cause) {
        LOG.warnf("database away, answering 503: %s (%s)", cause.getMessage(), e.getClass().getSimpleName());
        return Response.status(503).type(Problem.MEDIA)
                .header("Retry-After", DomainProblems.retryAfterSeconds(database.retryAfter()))
                .entity(Problem.of(503, "Database unavailable", "the database did not answer within "
                        + database.connectionWait().toMillis() + " ms (" + cause.getClass().getSimpleName()
                        + "); retry after Retry-After seconds (a change under way was committed whole or not at all)", null))
                .build();
    }

    static Response unauthorizedResponse() {
        return Response.status(401).type(Problem.MEDIA).header("WWW-Authenticate", "Bearer realm=\"rulescaler\"")
                .entity(Problem.of(401, "Unauthenticated",
                        "send a valid token as 'Authorization: Bearer <token>'", null))
                .build();
    }

    private static String fieldOf(ConstraintViolation<?> v) {
        String path = v.getPropertyPath().toString();
        // strip method and parameter names from method-parameter validation paths ("create.spec.size.max")
        int dot = path.indexOf('.');
        if (v.getExecutableParameters() != null && dot > 0) {
            path = path.substring(dot + 1);
            int second = path.indexOf('.');
            path = second > 0 ? path.substring(second + 1) : path;
        }
        return path.replace(".<map value>", "").replace("<map key>", "").replace(".<list element>", "");
    }
}
