package io.rulescaler.capacity.rules;

import io.quarkus.hibernate.orm.panache.PanacheRepository;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.rulescaler.capacity.engine.RuleSets;
import io.rulescaler.error.NotPermittedException;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * DRL uploads through the API: refused when the operator switched them off, otherwise compiled and
 * written by the {@link RuleCatalog} and recorded (who, file, digest, time) in the same transaction
 * as the record, so that no upload is in the rules folder without its line in the history.
 */
@ApplicationScoped
public class RuleUploads implements PanacheRepository<RuleUploadEntity> {

    private static final Logger LOG = Logger.getLogger(RuleUploads.class);
    private final RuleCatalog catalog;
    private final RulesConfig config;
    private final Clock clock;

    public RuleUploads(RuleCatalog catalog, RulesConfig config, Clock clock) {
        this.catalog = catalog;
        this.config = config;
        this.clock = clock;
    }

    /** One line of the upload history. */
    public record Upload(long id, Instant at, String by, String ruleSet, String file, String digest, int sizeBytes) {
    }

    /**
     * Compiles and writes {@code file} as {@code who}; the history row commits with it. The outcome
     * says whether it was written (a failed compile writes neither the file nor a row).
     */
    public RuleCatalog.PutOutcome upload(String who, String file, String content) {
        if (!config.apiUpload()) {
            LOG.warnf("rule upload refused (switched off) by=%s file=%s", who, file);
            throw new NotPermittedException("uploading DRL through the API is switched off on this service"
                    + " (rulescaler.rules.api-upload=false): put the file into the rules folder " + catalog.folder()
                    + " instead (it is reloaded when it changes), or set rulescaler.rules.api-upload=true and restart", "file");
        }
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        try {
            return record(who, file, content, bytes);
        } catch (NotWritten e) {
            return e.outcome;
        }
    }

    /** Rolls the history row back when the file did not compile. */
    private static final class NotWritten extends RuntimeException {
        final transient RuleCatalog.PutOutcome outcome;

        NotWritten(RuleCatalog.PutOutcome outcome) {
            super(null, null, false, false);
            this.outcome = outcome;
        }
    }

    private RuleCatalog.PutOutcome record(String who, String file, String content, byte[] bytes) {
        return QuarkusTransaction.requiringNew().call(() -> {
            RuleUploadEntity row = new RuleUploadEntity();
            row.uploadedAt = clock.instant();
            row.uploadedBy = who == null ? "?" : who;
            row.ruleSet = RuleSets.setOf(file);
            row.file = file;
            row.digest = sha256(bytes);
            row.sizeBytes = bytes.length;
            persist(row);
            flush();
            RuleCatalog.PutOutcome r = catalog.put(file, content);
            if (!r.written()) {
                LOG.infof("rule upload did not compile by=%s file=%s errors=%d", row.uploadedBy, file, r.errors().size());
                throw new NotWritten(r);
            }
            LOG.infof("rule upload by=%s file=%s digest=%s bytes=%d", row.uploadedBy, file, row.digest, row.sizeBytes);
            return r;
        });
    }

    /** The newest {@code limit} uploads, newest first. */
    public List<Upload> history(int limit) {
        return QuarkusTransaction.requiringNew().call(() -> find("order by id desc").page(0, limit).list().stream()
                .map(u -> new Upload(u.id, u.uploadedAt, u.uploadedBy, u.ruleSet, u.file, u.digest, u.sizeBytes)).toList());
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
