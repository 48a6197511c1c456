package io.rulescaler.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The token cache on a hand-moved clock: kept for its time, forgotten on revocation, bounded, off at 0. */
class TokenCacheTest {

    final AtomicLong now = new AtomicLong(1_000);

    @Test
    void aTokenIsRememberedForTheCacheTimeOnly() {
        TokenCache cache = new TokenCache(Duration.ofSeconds(1), now::get);
        cache.put("h1", "alertmanager", "webhook", "");
        assertEquals("webhook", cache.get("h1").orElseThrow().role());
        now.addAndGet(Duration.ofMillis(999).toNanos());
        assertTrue(cache.get("h1").isPresent());
        now.addAndGet(Duration.ofMillis(1).toNanos());
        assertTrue(cache.get("h1").isEmpty(), "expired after 1 s");
        assertEquals(0, cache.size(), "an expired entry is dropped");
    }

    @Test
    void revokingForgetsAtOnceAndZeroTurnsTheCacheOff() {
        TokenCache cache = new TokenCache(Duration.ofSeconds(1), now::get);
        cache.put("h1", "a", "viewer", "");
        cache.put("h2", "b", "viewer", "");
        cache.forget("a");
        assertTrue(cache.get("h1").isEmpty());
        assertTrue(cache.get("h2").isPresent());
        TokenCache off = new TokenCache(Duration.ZERO, now::get);
        off.put("h1", "a", "viewer", "");
        assertTrue(off.get("h1").isEmpty());
    }

    @Test
    void theCacheDoesNotGrowWithoutBound() {
        TokenCache cache = new TokenCache(Duration.ofMinutes(1), now::get);
        for (int i = 0; i < TokenCache.MAX_ENTRIES * 2 + 5; i++) {
            cache.put("h" + i, "t" + i, "viewer", "");
        }
        assertTrue(cache.size() <= TokenCache.MAX_ENTRIES, "size " + cache.size());
    }
}
