package io.rulescaler.action.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rulescaler.action.ActionException;
import io.rulescaler.action.ActionResult;
import io.rulescaler.action.TaskContext;
import io.rulescaler.action.TaskLog;
import io.rulescaler.cluster.ClusterSpec;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** LocalScript runs real scripts: environment, arguments, outputs, exit codes, timeouts, no path escape. */
class LocalScriptTest {

    private final LocalScript action = new LocalScript(new LocalScriptConfig() {
        @Override
        public String directory() {
            return "src/test/scripts";
        }

        @Override
        public String shell() {
            return "/bin/sh";
        }
    });

    @Test
    void passesClusterAndNodeValuesAndCollectsOutputs() throws Exception {
        Ctx ctx = new Ctx(Map.of("script", "env.sh", "args", "one two", "greeting", "hello"), Duration.ofSeconds(10));
        ActionResult r = action.run(ctx);
        assertEquals(Map.of("seen", "web-2"), r.outputs());
        String log = ctx.log.toString();
        assertTrue(log.contains("cluster=web node=web-2 zone=b peers=10.0.0.1 param=hello args=one two"), log);
    }

    @Test
    void aNonZeroExitFailsRetryablyWithTheOutputInTheLog() {
        Ctx ctx = new Ctx(Map.of("script", "fail.sh"), Duration.ofSeconds(10));
        ActionException e = assertThrows(ActionException.class, () -> action.run(ctx));
        assertTrue(e.retryable() && e.getMessage().contains("exited with 3"), e.getMessage());
        assertTrue(ctx.log.toString().contains("something broke"));
    }

    @Test
    void aScriptPastItsTimeoutIsKilled() {
        Ctx ctx = new Ctx(Map.of("script", "sleep.sh"), Duration.ofMillis(700));
        ActionException e = assertThrows(ActionException.class, () -> action.run(ctx));
        assertTrue(e.getMessage().contains("did not finish within"), e.getMessage());
        assertTrue(ProcessHandle.current().descendants().noneMatch(p -> p.info().commandLine().orElse("").contains("sleep 30")),
                "the script and its children are gone");
    }

    @Test
    void scriptsOutsideTheFolderAreRefused() {
        ActionException e = assertThrows(ActionException.class,
                () -> action.run(new Ctx(Map.of("script", "../../pom.xml"), Duration.ofSeconds(5))));
        assertFalse(e.retryable());
        assertTrue(e.getMessage().contains("lies outside"), e.getMessage());
    }

    /** A hand-made context: the action under test needs no database. */
    static final class Ctx implements TaskContext {
        final StringBuilder log = new StringBuilder();
        final Map<String, String> params;
        final Duration timeout;

        Ctx(Map<String, String> params, Duration timeout) {
            this.params = params;
            this.timeout = timeout;
        }

        @Override
        public long operationId() {
            return 7;
        }

        @Override
        public long taskId() {
            return 9;
        }

        @Override
        public String step() {
            return "configure";
        }

        @Override
        public ClusterSpec cluster() {
            return new ClusterSpec("web", null, "stub", null, null, new ClusterSpec.Sizing(0, 5, null), null, null, null, null,
                    null, null, null, null, null);
        }

        @Override
        public Optional<TargetNode> node() {
            return Optional.of(new TargetNode(2, "web-2", 2, "b", "10.0.0.2", "i-2"));
        }

        @Override
        public List<TargetNode> peers() {
            return List.of(new TargetNode(1, "web-1", 1, "a", "10.0.0.1", "i-1"));
        }

        @Override
        public Map<String, String> params() {
            return params;
        }

        @Override
        public Map<String, String> outputs() {
            return Map.of();
        }

        @Override
        public TaskLog log() {
            return new TaskLog() {
                @Override
                public void line(String text) {
                    synchronized (log) {
                        log.append(text).append('\n');
                    }
                }

                @Override
                public void append(CharSequence output) {
                    synchronized (log) {
                        log.append(output);
                    }
                }
            };
        }

        @Override
        public Duration timeout() {
            return timeout;
        }

        @Override
        public boolean cancelled() {
            return false;
        }
    }
}
