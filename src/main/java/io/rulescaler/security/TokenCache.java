package io.rulescaler.security;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Remembers tokens that authenticated for a short time, so that a request does not read its token
 * from the database each time; the time is the longest a token revoked on another instance keeps
 * working here. Only successful look-ups are kept, by the token's hash, never its secret.
 */
@Singleton
public class TokenCache {

    /** What a remembered token stands for. */
    public record Entry(String name, String role, String nodeId, long expiresAtNanos) {
    }

    /** Past this many tokens the cache starts over rather than grow (a flood of distinct valid tokens is not expected). */
    static final int MAX_ENTRIES = 10_000;

    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    private final long ttlNanos;
    private final LongSupplier nanoTime;

    @Inject
    public TokenCache(SecurityConfig config) {
        this(config.tokenCacheTtl(), System::nanoTime);
    }

    TokenCache(Duration ttl, LongSupplier nanoTime) {
        this.ttlNanos = Math.max(0, ttl.toNanos());
        this.nanoTime = nanoTime;
    }

    /** The token with this hash if it authenticated less than the cache time ago. */
    public Optional<Entry> get(String hash) {
        if (ttlNanos == 0) {
            return Optional.empty();
        }
        Entry e = entries.get(hash);
        if (e == null) {
            return Optional.empty();
        }
        if (nanoTime.getAsLong() - e.expiresAtNanos() >= 0) {
            entries.remove(hash, e);
            return Optional.empty();
        }
        return Optional.of(e);
    }

    /** Remembers a token that was just found in the database. */
    public void put(String hash, String name, String role, String nodeId) {
        if (ttlNanos == 0) {
            return;
        }
        if (entries.size() >= MAX_ENTRIES) {
            entries.clear();
        }
        entries.put(hash, new Entry(name, role, nodeId, nanoTime.getAsLong() + ttlNanos));
    }

    /** Forgets the token of this name at once (revoked on this instance). */
    public void forget(String name) {
        entries.values().removeIf(e -> e.name().equals(name));
    }

    int size() {
        return entries.size();
    }
}
