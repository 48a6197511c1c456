package io.rulescaler.boot;

import io.quarkus.runtime.ApplicationLifecycleManager;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.jboss.logmanager.ExtHandler;
import org.jboss.logmanager.ExtLogRecord;
import org.jboss.logmanager.handlers.AsyncHandler;

/**
 * Makes the JVM exit only after the asynchronous console handler has written every line queued before
 * the exit, and ends the log with one line naming the exit code and the cause.
 *
 * <p>Why: the console is asynchronous ({@code quarkus.log.console.async.enabled}, for the decision path,
 * docs/benchmarks.md). Its writer is a daemon thread that nothing waits for: when a start fails, Quarkus
 * logs the reason, then calls {@code System.exit(1)} at once, and the queued lines (the reason, often the
 * whole start log) were lost in most runs (6 of 8 on an idle machine). Quarkus 3.33.2 means to wait 200 ms
 * for them, but looks for a {@code java.util.logging.ConsoleHandler} behind the async handler, which the
 * console handler it builds is not. Here the exit waits for a last record of its own to come out of each
 * async handler: the writer takes records in order, so every earlier line is out too.
 */
public final class LogDrainAtExit {

    /** Long enough for a full queue (512 lines) on a loaded machine; a writer that died is not waited on longer. */
    static final long WAIT_MS = 10_000;

    private LogDrainAtExit() {
    }

    /** Wraps Quarkus' exit (the one a failed start and the end of {@code Quarkus.run} take) with the drain. */
    public static void install() {
        BiConsumer<Integer, Throwable> exit = ApplicationLifecycleManager.getDefaultExitCodeHandler();
        ApplicationLifecycleManager.setDefaultExitCodeHandler((code, cause) -> {
            drain(cause == null ? Level.INFO : org.jboss.logmanager.Level.ERROR, lastLine(code, cause));
            exit.accept(code, cause);
        });
    }

    /**
     * The line the log ends with: the exit code and, after a failure, the first cause thrown by our own code
     * (it says what to check, where the innermost one says only "Connection refused"), else the innermost.
     */
    static String lastLine(int code, Throwable cause) {
        if (cause == null) {
            return "exit code=" + code;
        }
        Throwable root = cause;
        Throwable ours = null;
        for (Throwable t = cause; t != null; t = t.getCause() == t ? null : t.getCause()) {
            root = t;
            StackTraceElement[] at = t.getStackTrace();
            if (ours == null && at.length > 0 && at[0].getClassName().startsWith("io.rulescaler.")) {
                ours = t;
            }
        }
        return "exit code=" + code + " cause=" + (ours != null ? ours : root);
    }

    /**
     * Publishes {@code line} to every async handler under the root logger and waits until each wrote it;
     * true when all did within {@link #WAIT_MS}.
     */
    static boolean drain(Level level, String line) {
        boolean all = true;
        for (AsyncHandler async : asyncHandlers(Logger.getLogger("").getHandlers(), new ArrayList<>())) {
            ExtLogRecord last = new ExtLogRecord(level, line, ExtLogRecord.FormatStyle.NO_FORMAT, LogDrainAtExit.class.getName());
            last.setLoggerName(LogDrainAtExit.class.getName());
            if (!async.isLoggable(last)) {
                // a console set to a higher level: the last line takes that level, so that it is written
                last.setLevel(async.getLevel());
                if (!async.isLoggable(last)) {
                    continue; // level OFF: nothing of the start is queued there either
                }
            }
            Written written = new Written(last);
            async.addHandler(written);
            try {
                async.publish(last);
                all &= written.await();
            } finally {
                async.removeHandler(written);
            }
        }
        return all;
    }

    private static List<AsyncHandler> asyncHandlers(Handler[] handlers, List<AsyncHandler> found) {
        for (Handler h : handlers) {
            if (h instanceof AsyncHandler a) {
                found.add(a);
            } else if (h instanceof ExtHandler e) {
                asyncHandlers(e.getHandlers(), found);
            }
        }
        return found;
    }

    /** Nested after the console handler, so it sees the record once the console has written it. */
    private static final class Written extends ExtHandler {

        private final LogRecord record;
        private final CountDownLatch seen = new CountDownLatch(1);

        Written(LogRecord record) {
            this.record = record;
        }

        @Override
        protected void doPublish(ExtLogRecord r) {
            if (r == record) {
                seen.countDown();
            }
        }

        boolean await() {
            try {
                return seen.await(WAIT_MS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }
}
