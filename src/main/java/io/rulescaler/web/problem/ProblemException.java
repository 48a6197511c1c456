package io.rulescaler.web.problem;

/**
 * A failure that should reach the client as an RFC 9457 problem: status, a title that names the
 * kind of failure, a detail a person can act on, and the failing field where there is one.
 */
public class ProblemException extends RuntimeException {

    private final int status;
    private final String title;
    private final String field;

    public ProblemException(int status, String title, String detail) {
        this(status, title, detail, null);
    }

    public ProblemException(int status, String title, String detail, String field) {
        super(detail);
        this.status = status;
        this.title = title;
        this.field = field;
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    public String field() {
        return field;
    }

    public static ProblemException notFound(String what, String name) {
        return new ProblemException(404, "Not found", what + " '" + name + "' does not exist");
    }

    public static ProblemException badRequest(String detail, String field) {
        return new ProblemException(400, "Invalid request", detail, field);
    }

    public static ProblemException conflict(String detail) {
        return new ProblemException(409, "Conflict", detail);
    }
}
