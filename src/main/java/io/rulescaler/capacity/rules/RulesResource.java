package io.rulescaler.capacity.rules;

import io.rulescaler.capacity.engine.RuleError;
import io.rulescaler.error.InternalFailureException;
import io.rulescaler.error.InvalidInputException;
import io.rulescaler.error.NotFoundException;
import io.rulescaler.error.InvalidRulesException;
import io.rulescaler.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * REST for rule sets: their status and errors, the rules clusters' sessions stopped for reaching a cap, a reload,
 * replacing one file after it compiles, and enabling stopped rules again.
 */
@Path("/api/v1/rules")
@Produces(MediaType.APPLICATION_JSON)
public class RulesResource {

    private final RuleCatalog catalog;
    private final RuleUploads uploads;
    private final DisabledRules disabled;

    public RulesResource(RuleCatalog catalog, RuleUploads uploads, DisabledRules disabled) {
        this.catalog = catalog;
        this.uploads = uploads;
        this.disabled = disabled;
    }

    @GET
    @RolesAllowed(Roles.VIEWER)
    @Operation(summary = "Rule sets: status, files, rule counts, errors of the last attempt (file, line, column)")
    public Map<String, Object> list() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("folder", catalog.folder().toString());
        out.put("ruleSets", catalog.status());
        out.put("disabledRules", disabled.all());
        return out;
    }

    /** Body of an enable call: one rule by name, or all stopped rules of the set. */
    public record EnableRequest(String rule, Boolean all) {
    }

    @POST
    @Path("{set}/enable")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Enable again a rule (body {\"rule\": name}) or all rules ({\"all\": true}) that clusters' sessions"
            + " stopped for reaching the firing or fact cap")
    public Map<String, Object> enable(@PathParam("set") String set, EnableRequest body) {
        if (body == null || (body.rule() == null || body.rule().isBlank()) == !Boolean.TRUE.equals(body.all())) {
            throw new InvalidInputException("send {\"rule\": \"<rule name>\"} or {\"all\": true}", "rule");
        }
        if (catalog.status(set).isEmpty()) {
            throw io.rulescaler.error.NotFoundException.of("rule set", set);
        }
        String rule = Boolean.TRUE.equals(body.all()) ? null : body.rule();
        List<DisabledRules.Row> enabled = disabled.enable(set, rule);
        if (enabled.isEmpty() && rule != null) {
            throw new io.rulescaler.error.NotFoundException("Rule not stopped", "rule '" + rule + "' is not stopped on any cluster"
                    + " of rule set '" + set + "'; GET /api/v1/rules lists the stopped rules under disabledRules", "rule");
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("enabled", enabled);
        return out;
    }

    @POST
    @Path("reload")
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Recompile changed rule sets now; failing sets keep their previous rules")
    public Map<String, Object> reload() throws InterruptedException {
        try {
            List<RuleSetStatus> result = catalog.reload().get();
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("ok", result.stream().allMatch(s -> RuleSetStatus.OK.equals(s.status())));
            out.put("ruleSets", result);
            return out;
        } catch (ExecutionException e) {
            throw new InternalFailureException("Reload failed", String.valueOf(e.getCause()));
        }
    }

    @PUT
    @Path("{file: [^/]+/[^/]+}")
    @Consumes({MediaType.TEXT_PLAIN, "application/octet-stream", "text/x-drl"})
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Replace or add <set>/<file>.drl; compiled first: 400 with file:line:column errors and nothing written;"
            + " recorded in GET /api/v1/rules/history; 403 when rulescaler.rules.api-upload=false")
    public Response put(@PathParam("file") String file, String content, @Context SecurityContext sec) {
        if (!RuleCatalog.FILE.matcher(file).matches() || file.contains("..")) {
            throw new InvalidInputException("the path must be <rule set>/<name>.drl with letters, digits, '.', '_', '-'", "file");
        }
        if (content == null || content.isBlank()) {
            throw new InvalidInputException("the body must be the DRL text of the file", "content");
        }
        RuleCatalog.PutOutcome r = uploads.upload(sec.getUserPrincipal() == null ? null : sec.getUserPrincipal().getName(),
                file, content);
        if (!r.written()) {
            throw new InvalidRulesException(r.errors().size() + " error(s); first " + r.errors().get(0).format()
                    + "; nothing was written and the previous rules keep deciding", "content",
                    r.errors(), r.errors().stream().map(RuleError::format).toList());
        }
        return Response.ok(r.status()).build();
    }

    @GET
    @Path("{file: [^/]+/[^/]+}")
    @Produces(MediaType.TEXT_PLAIN)
    @RolesAllowed(Roles.VIEWER)
    @Operation(summary = "The text of <set>/<file>.drl as the set compiles it (the rules folder's copy, else the shipped one)")
    public String source(@PathParam("file") String file) {
        return catalog.source(file).orElseThrow(() -> new NotFoundException("no rule file " + file
                + "; GET /api/v1/rules lists each set's files", "file"));
    }

    /** Body of a check: the file as the editor holds it. */
    public record CheckRequest(String file, String content) {
    }

    @POST
    @Path("check")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.VIEWER)
    @Operation(summary = "Compile <set>/<file>.drl with this content in its set, saving nothing: ok and file:line:column errors")
    public Map<String, Object> check(CheckRequest body) {
        if (body == null || body.file() == null || !RuleCatalog.FILE.matcher(body.file()).matches() || body.file().contains("..")) {
            throw new InvalidInputException("file must be <rule set>/<name>.drl with letters, digits, '.', '_', '-'", "file");
        }
        if (body.content() == null || body.content().isBlank()) {
            throw new InvalidInputException("content must be the DRL text of the file", "content");
        }
        List<RuleError> errors = catalog.check(body.file(), body.content());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("ok", errors.isEmpty());
        out.put("errors", errors);
        out.put("formatted", errors.stream().map(RuleError::format).toList());
        return out;
    }
}
