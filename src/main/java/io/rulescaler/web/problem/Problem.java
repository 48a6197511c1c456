package io.rulescaler.web.problem;

import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;

/** The body of every error response, as RFC 9457 application/problem+json. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, String field, List<FieldError> errors) {

    public static final String MEDIA_TYPE = "application/problem+json";
    public static final MediaType MEDIA = MediaType.valueOf(MEDIA_TYPE);

    /** One invalid field among several. */
    public record FieldError(String field, String message) {
    }

    public static Problem of(int status, String title, String detail, String field) {
        return new Problem(typeFor(status), title, status, detail, field, null);
    }

    public Response toResponse() {
        return Response.status(status).type(MEDIA).entity(this).build();
    }

    /** A stable URI per kind of failure, so clients can branch on it. */
    static String typeFor(int status) {
        return switch (status) {
            case 400 -> "https://rulescaler.io/problems/invalid-request";
            case 401 -> "https://rulescaler.io/problems/unauthenticated";
            case 403 -> "https://rulescaler.io/problems/forbidden";
            case 404 -> "https://rulescaler.io/problems/not-found";
            case 405 -> "https://rulescaler.io/problems/method-not-allowed";
            case 406 -> "https://rulescaler.io/problems/not-acceptable";
            case 409 -> "https://rulescaler.io/problems/conflict";
            case 412 -> "https://rulescaler.io/problems/precondition-failed";
            case 413 -> "https://rulescaler.io/problems/too-large";
            case 415 -> "https://rulescaler.io/problems/unsupported-media-type";
            case 428 -> "https://rulescaler.io/problems/precondition-required";
            case 503 -> "https://rulescaler.io/problems/unavailable";
            default -> status >= 500 ? "https://rulescaler.io/problems/internal" : "about:blank";
        };
    }
}
