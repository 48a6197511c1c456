package io.rulescaler.capacity;

import io.rulescaler.capacity.engine.RuleSession;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * Keeps each cluster's {@link SessionOwner} (its single rules thread and queue) and takes the work queued on a
 * thread together, so a burst of signals costs one evaluation ({@link SessionEvaluator}), not one each.
 */
@ApplicationScoped
class SessionThreads {

    private static final Logger LOG = Logger.getLogger(SessionThreads.class);

    private final SessionEvaluator evaluator;
    private final CapacityConfig config;
    private final Map<String, SessionOwner> owners = new ConcurrentHashMap<>();

    SessionThreads(SessionEvaluator evaluator, CapacityConfig config) {
        this.evaluator = evaluator;
        this.config = config;
    }

    /** The cluster's owner, made (with its thread) when the cluster has none here yet. */
    SessionOwner owner(String cluster) {
        return owners.computeIfAbsent(cluster, SessionOwner::new);
    }

    /** The cluster's owner, or null when nothing ran for it on this instance. */
    SessionOwner existing(String cluster) {
        return owners.get(cluster);
    }

    /** Every cluster's owner on this instance. */
    Collection<SessionOwner> all() {
        return owners.values();
    }

    /**
     * Runs {@code signals} against the cluster's session on its thread, then evaluates. Work that
     * queues up while an evaluation runs is taken together: one evaluation for all of it.
     */
    CompletableFuture<Void> submit(String cluster, Consumer<RuleSession> signals) {
        SessionOwner o = owner(cluster);
        CompletableFuture<Void> done = new CompletableFuture<>();
        o.queue.add(new Task(signals, done));
        if (o.scheduled.compareAndSet(false, true)) {
            o.exec.execute(() -> drain(o));
        }
        return done;
    }

    /** Drops the cluster's owner: its session is closed on its thread, which then ends. */
    void remove(String cluster) {
        SessionOwner o = owners.remove(cluster);
        if (o != null) {
            retire(o);
        }
    }

    /** Closes every session on its thread and ends the threads (the service stops). */
    void closeAll() {
        for (SessionOwner o : owners.values()) {
            retire(o);
        }
    }

    private static void retire(SessionOwner o) {
        o.exec.execute(o::closeSession);
        o.exec.shutdown();
    }

    private void drain(SessionOwner o) {
        o.pace(config.evaluationGap()); // a burst of signals: one evaluation per gap, not one each
        o.scheduled.set(false);
        List<Task> batch = new ArrayList<>();
        for (Task t = o.queue.poll(); t != null; t = o.queue.poll()) {
            batch.add(t);
        }
        if (batch.isEmpty()) {
            return;
        }
        try {
            evaluator.run(o, s -> {
                for (Task t : batch) {
                    if (t.signals() != null) {
                        try {
                            t.signals().accept(s);
                        } catch (RuntimeException e) {
                            LOG.errorf(e, "signal insert failed cluster=%s", o.cluster);
                        }
                    }
                }
            });
        } finally {
            batch.forEach(t -> t.done().complete(null));
        }
    }

    /** One piece of queued work and who waits for it. */
    record Task(Consumer<RuleSession> signals, CompletableFuture<Void> done) { }
}
