package io.rulescaler.error;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Why something asked of the service cannot be done, said in the domain's words, so that services
 * never speak HTTP; the REST edge turns each kind into its status and an RFC 9457 problem.
 *
 * <p>The message is the detail a person can act on. {@link #field()} names the input at fault,
 * where there is one. {@link #title()} is set only where a failure has a more telling short name
 * than its kind's usual one (for example "Unknown field" rather than "Invalid request");
 * {@link #extensions()} carries what a client may want beyond the detail.
 */
public abstract sealed class DomainException extends RuntimeException
        permits InvalidInputException, NotFoundException, ConflictException, StaleVersionException,
        NotPermittedException, RefusedException, GuardRefusedException, InvalidRulesException,
        UnavailableException, InternalFailureException {

    private final String title;
    private final String field;
    private final transient Map<String, Object> extensions;

    protected DomainException(String title, String detail, String field) {
        this(title, detail, field, Map.of());
    }

    protected DomainException(String title, String detail, String field, Map<String, Object> extensions) {
        super(detail);
        this.title = title;
        this.field = field;
        this.extensions = Collections.unmodifiableMap(new LinkedHashMap<>(extensions));
    }

    /** The short name of this failure when it differs from its kind's usual one; null otherwise. */
    public String title() {
        return title;
    }

    /** The input at fault ("size.max", "samples[2].cluster"), or null. */
    public String field() {
        return field;
    }

    /** Further members a client can use (the refused decision, every compile error), in order; often none. */
    public Map<String, Object> extensions() {
        return extensions;
    }
}
