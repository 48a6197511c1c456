package io.rulescaler.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.interceptor.InvocationContext;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The shared stop gate around scheduled rounds: a round in progress finishes before the stop goes on; none starts after. */
class StopGatedRoundsTest {

    private final ScheduledRounds rounds = new ScheduledRounds();
    private final StopGatedRounds interceptor = new StopGatedRounds(rounds);

    @Test
    void theStopWaitsForTheRoundInProgressAndThenRunsNoMore() throws Exception {
        List<String> events = new CopyOnWriteArrayList<>();
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch mayFinish = new CountDownLatch(1);
        Thread round = new Thread(() -> call(() -> {
            events.add("round started");
            inside.countDown();
            mayFinish.await();
            events.add("round finished");
            return null;
        }));
        round.start();
        assertTrue(inside.await(10, TimeUnit.SECONDS));
        Thread stop = new Thread(() -> {
            rounds.onStop(null);
            events.add("stop went on");
        });
        stop.start();
        while (!rounds.gate().closed()) {
            Thread.onSpinWait();
        }
        mayFinish.countDown();
        stop.join();
        round.join();
        assertEquals(List.of("round started", "round finished", "stop went on"), events);

        assertNull(call(() -> {
            events.add("a round after the stop");
            return "ran";
        }));
        assertEquals(3, events.size(), "no round runs after the stop: " + events);
    }

    @Test
    void aFailureBeforeTheStopIsThrownAndOneAfterItsStartIsSwallowed() throws Exception {
        IllegalStateException broken = new IllegalStateException("database broken");
        assertSame(broken, assertThrows(IllegalStateException.class, () -> interceptor.around(context(() -> {
            throw broken;
        }))));
        assertEquals("ran", interceptor.around(context(() -> "ran")));

        Object result = interceptor.around(context(() -> {
            rounds.gate().closeAndAwait(java.time.Duration.ZERO); // the stop begins while this round runs
            throw new IllegalStateException("EntityManagerFactory is closed");
        }));
        assertNull(result, "a round the stop cut short ends quietly");
    }

    private Object call(Callable<Object> body) {
        try {
            return interceptor.around(context(body));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static InvocationContext context(Callable<Object> body) {
        return new InvocationContext() {
            @Override public Object getTarget() { return body; }
            @Override public Method getMethod() {
                try {
                    return Callable.class.getMethod("call");
                } catch (NoSuchMethodException e) {
                    throw new IllegalStateException(e);
                }
            }
            @Override public Constructor<?> getConstructor() { return null; }
            @Override public Object[] getParameters() { return new Object[0]; }
            @Override public void setParameters(Object[] params) { }
            @Override public Map<String, Object> getContextData() { return Map.of(); }
            @Override public Object getTimer() { return null; }
            @Override public Object proceed() throws Exception { return body.call(); }
        };
    }
}
