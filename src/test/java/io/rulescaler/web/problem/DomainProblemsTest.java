package io.rulescaler.web.problem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Each domain failure, as the services throw it today, and the problem a client receives for it. */
class DomainProblemsTest {

    private static final String P = "https://rulescaler.io/problems/";
    private static final ObjectMapper JSON = new ObjectMapper();

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("invalid input", new InvalidInputException("page must be 0 or more", "page"),
                        400, P + "invalid-request", "Invalid request", "page"),
                Arguments.of("invalid input with its own title", new InvalidInputException("Unknown field", "x: unknown field 'sise'", "sise"),
                        400, P + "invalid-request", "Unknown field", "sise"),
                Arguments.of("rules that do not compile", new InvalidRulesException("1 error(s)", "content", List.of(), List.of()),
                        400, P + "rule-compile-error", "Rules do not compile", "content"),
                Arguments.of("role may not", new NotPermittedException("force needs an admin token", "force"),
                        403, P + "forbidden", "Forbidden", "force"),
                Arguments.of("not found", NotFoundException.of("cluster", "web"),
                        404, P + "not-found", "Not found", null),
                Arguments.of("not found, provider", new NotFoundException("Provider unavailable", "no profile 'x'", "profile"),
                        404, P + "not-found", "Provider unavailable", "profile"),
                Arguments.of("conflict", new ConflictException("a token named 'a' already exists"),
                        409, P + "conflict", "Conflict", null),
                Arguments.of("refused by the guard", new GuardRefusedException("cooldown: 40 s left", Map.of("verdict", "refused")),
                        409, P + "refused-by-guard", "Refused by the guard", null),
                Arguments.of("stale version", new StaleVersionException("cluster 'web' is at version 3, not 2"),
                        412, P + "precondition-failed", "Precondition failed", null),
                Arguments.of("refused by a policy", new RefusedException("Out of bounds", "targetSize 12 lies outside 1..10", "targetSize"),
                        422, "about:blank", "Out of bounds", "targetSize"),
                Arguments.of("internal failure", new InternalFailureException("Reload failed", "java.lang.IllegalStateException"),
                        500, P + "internal", "Reload failed", null),
                Arguments.of("unavailable", new UnavailableException("Alerts not stored", "the alerts could not be stored"),
                        503, P + "unavailable", "Alerts not stored", null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void eachFailureHasItsStatusTypeAndTitle(String name, DomainException e, int status, String type, String title, String field)
            throws Exception {
        Response r = new DomainProblems().domain(e);
        assertEquals(status, r.getStatus());
        assertEquals(Problem.MEDIA_TYPE, r.getMediaType().toString());
        Map<?, ?> body = JSON.readValue(JSON.writeValueAsString(r.getEntity()), Map.class);
        assertEquals(type, body.get("type"));
        assertEquals(title, body.get("title"));
        assertEquals(status, body.get("status"));
        assertEquals(e.getMessage(), body.get("detail"));
        assertEquals(field, body.get("field"));
    }

    @Test
    void everyKindOfDomainFailureIsMapped() {
        for (Class<?> kind : DomainException.class.getPermittedSubclasses()) {
            assertNotNull(DomainProblems.KINDS.get(kind), kind.getSimpleName() + " has no status in DomainProblems.KINDS");
        }
        assertEquals(DomainException.class.getPermittedSubclasses().length, DomainProblems.KINDS.size());
    }

    @Test
    void extensionsFollowTheUsualMembersInOrder() throws Exception {
        String body = JSON.writeValueAsString(DomainProblems.body(
                new InvalidRulesException("2 error(s)", "content", List.of("e1", "e2"), List.of("a.drl:1:1: x", "a.drl:2:1: y"))));
        assertEquals("{\"type\":\"" + P + "rule-compile-error\",\"title\":\"Rules do not compile\",\"status\":400,"
                + "\"detail\":\"2 error(s)\",\"field\":\"content\",\"errors\":[\"e1\",\"e2\"],"
                + "\"formatted\":[\"a.drl:1:1: x\",\"a.drl:2:1: y\"]}", body);
        String refused = JSON.writeValueAsString(DomainProblems.body(new GuardRefusedException("cooldown", Map.of("id", 7))));
        assertEquals("{\"type\":\"" + P + "refused-by-guard\",\"title\":\"Refused by the guard\",\"status\":409,"
                + "\"detail\":\"cooldown\",\"decision\":{\"id\":7}}", refused);
    }

    @Test
    void aBodyWithoutExtensionsLeavesOutWhatIsMissing() throws Exception {
        assertEquals("{\"type\":\"" + P + "not-found\",\"title\":\"Not found\",\"status\":404,"
                + "\"detail\":\"cluster 'web' does not exist\"}",
                JSON.writeValueAsString(DomainProblems.body(NotFoundException.of("cluster", "web"))));
    }
}
