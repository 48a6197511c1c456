package io.rulescaler.testing;

import io.rulescaler.action.TaskContext;
import io.rulescaler.action.TaskLog;
import io.rulescaler.cluster.ClusterSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A plain {@link TaskContext} for calling an action's {@code run()} directly in a test: the values are
 * whatever the test sets, and the log keeps every line so the test can read it.
 */
public final class RecordingTaskContext implements TaskContext {

    private final ClusterSpec cluster;
    private TargetNode node;
    private final List<TargetNode> peers = new ArrayList<>();
    private final Map<String, String> params = new HashMap<>();
    private final Map<String, String> outputs = new HashMap<>();
    private final Log log = new Log();
    private Duration timeout = Duration.ofMinutes(2);
    private volatile boolean cancelled;

    public RecordingTaskContext(ClusterSpec cluster) {
        this.cluster = cluster;
    }

    /** A small valid cluster spec with the given name, DNS base name and load balancer (either may be null). */
    public static ClusterSpec cluster(String name, String dnsBaseName, ClusterSpec.LoadBalancer loadBalancer) {
        return new ClusterSpec(name, null, "byon", null, null, new ClusterSpec.Sizing(0, 10, 1), null, null, null,
                loadBalancer, dnsBaseName, null, null, null, null);
    }

    public RecordingTaskContext node(TargetNode value) {
        this.node = value;
        return this;
    }

    public RecordingTaskContext peer(TargetNode value) {
        peers.add(value);
        return this;
    }

    public RecordingTaskContext param(String name, String value) {
        params.put(name, value);
        return this;
    }

    public RecordingTaskContext timeout(Duration value) {
        this.timeout = value;
        return this;
    }

    public void cancel() {
        cancelled = true;
    }

    /** Every line logged so far, joined with newlines. */
    public String logText() {
        return String.join("\n", log.lines());
    }

    @Override
    public long operationId() {
        return 1;
    }

    @Override
    public long taskId() {
        return 1;
    }

    @Override
    public String step() {
        return "test";
    }

    @Override
    public ClusterSpec cluster() {
        return cluster;
    }

    @Override
    public Optional<TargetNode> node() {
        return Optional.ofNullable(node);
    }

    @Override
    public List<TargetNode> peers() {
        return Collections.unmodifiableList(peers);
    }

    @Override
    public Map<String, String> params() {
        return Collections.unmodifiableMap(params);
    }

    @Override
    public Map<String, String> outputs() {
        return outputs;
    }

    @Override
    public TaskLog log() {
        return log;
    }

    @Override
    public Duration timeout() {
        return timeout;
    }

    @Override
    public boolean cancelled() {
        return cancelled;
    }

    /** Keeps lines in memory. */
    private static final class Log implements TaskLog {
        private final List<String> lines = Collections.synchronizedList(new ArrayList<>());

        @Override
        public void line(String text) {
            lines.add(text);
        }

        @Override
        public void append(CharSequence output) {
            lines.add(output.toString());
        }

        List<String> lines() {
            synchronized (lines) {
                return new ArrayList<>(lines);
            }
        }
    }
}
