package io.rulescaler.web;

import io.quarkus.runtime.configuration.MemorySize;
import io.rulescaler.web.problem.Problem;
import io.vertx.core.json.Json;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Refuses a request whose declared body is over the configured limit with a problem+json 413,
 * before any of it is read (Vert.x would otherwise answer a bare 413).
 */
@ApplicationScoped
public class BodyLimitFilter {

    private final long limit;

    public BodyLimitFilter(@ConfigProperty(name = "quarkus.http.limits.max-body-size", defaultValue = "10M") MemorySize limit) {
        this.limit = limit.asLongValue();
    }

    void install(@Observes Router router) {
        router.route().order(-1000).handler(ctx -> {
            String length = ctx.request().getHeader("Content-Length");
            if (length != null) {
                try {
                    if (Long.parseLong(length.trim()) > limit) {
                        Problem p = Problem.of(413, "Payload too large",
                                "the request body is " + length + " bytes; the limit is " + limit
                                        + " bytes (quarkus.http.limits.max-body-size)", null);
                        ctx.response().setStatusCode(413).putHeader("Content-Type", Problem.MEDIA_TYPE)
                                .putHeader("Connection", "close")
                                .end(Json.encode(p));
                        return;
                    }
                } catch (NumberFormatException e) {
                    // malformed length: let the HTTP layer reject it
                }
            }
            ctx.next();
        });
    }
}
