package io.rulescaler.security;

import io.quarkus.hibernate.orm.panache.PanacheRepository;
import io.rulescaler.error.ConflictException;
import io.rulescaler.error.InvalidInputException;
import io.rulescaler.error.NotFoundException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * Issues, looks up and revokes bearer tokens. Tokens are 256 random bits; only their SHA-256
 * is stored, which is enough for secrets of that strength (no slow hash needed).
 */
@ApplicationScoped
@Transactional
public class TokenService implements PanacheRepository<ApiTokenEntity> {

    private static final SecureRandom RANDOM = new SecureRandom();
    private final Clock clock;
    private final TokenCache cache;

    public TokenService(Clock clock, TokenCache cache) {
        this.clock = clock;
        this.cache = cache;
    }

    /** A token as listed (never with its secret). */
    public record TokenView(long id, String name, String role, java.time.Instant createdAt, java.time.Instant lastUsedAt) {
    }

    /** A newly issued token: the only time the secret is shown. */
    public record IssuedToken(long id, String name, String role, String token) {
    }

    public IssuedToken issue(String name, String role) {
        return issue(name, role, newSecret());
    }

    public IssuedToken issue(String name, String role, String secret) {
        if (!Roles.ALL.contains(role)) {
            throw new InvalidInputException("role must be one of " + Roles.ALL, "role");
        }
        if (find("name", name).firstResultOptional().isPresent()) {
            throw new ConflictException("a token named '" + name + "' already exists");
        }
        ApiTokenEntity t = new ApiTokenEntity();
        t.name = name;
        t.role = role;
        t.tokenHash = hash(secret);
        t.createdAt = clock.instant();
        persist(t);
        return new IssuedToken(t.id, name, role, secret);
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public List<TokenView> views() {
        return list("order by id").stream().map(t -> new TokenView(t.id, t.name, t.role, t.createdAt, t.lastUsedAt)).toList();
    }

    /** The role of the token with this secret, if it exists. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<ApiTokenEntity> lookup(String secret) {
        return find("tokenHash", hash(secret)).firstResultOptional();
    }

    /**
     * Issues the token of one node (role {@code node}, bound to the node id), replacing any token
     * the node had: a node redeployed under the same record gets a fresh secret.
     */
    public IssuedToken issueForNode(long nodeId, String nodeName) {
        revokeForNode(nodeId);
        String secret = newSecret();
        ApiTokenEntity t = new ApiTokenEntity();
        t.name = "node-" + nodeId + "-" + nodeName;
        t.name = t.name.substring(0, Math.min(128, t.name.length()));
        t.role = Roles.NODE;
        t.nodeId = nodeId;
        t.tokenHash = hash(secret);
        t.createdAt = clock.instant();
        persist(t);
        return new IssuedToken(t.id, t.name, Roles.NODE, secret);
    }

    /** Revokes every token of the node (it is destroyed); returns how many. */
    public long revokeForNode(long nodeId) {
        list("nodeId", nodeId).forEach(t -> cache.forget(t.name));
        return delete("nodeId", nodeId);
    }

    /** Deletes the token; this instance forgets it at once, others within the token cache time. */
    public void revoke(String name) {
        long deleted = delete("name", name);
        cache.forget(name);
        if (deleted == 0) {
            throw NotFoundException.of("token", name);
        }
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public boolean anyExist() {
        return count() > 0;
    }

    static String newSecret() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return "rs_" + Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    static String hash(String secret) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
