package io.rulescaler.orchestration.task;

import io.rulescaler.db.LostRace;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * A runner's claims: each under a lease end of its own, later than any before, so that the tasks of a claim
 * whose commit outcome is unknown can be found by it ({@link TaskRunner}'s dispatcher and the intake's hand-off).
 */
final class TaskClaims {

    private static final Logger LOG = Logger.getLogger(TaskRunner.class);
    private final String owner;
    private final Duration lease;
    private final TaskStore store;
    private final TaskContexts contexts;
    private final Clock clock;
    private Instant lastLeaseUntil = Instant.EPOCH;

    TaskClaims(String owner, Duration lease, TaskStore store, TaskContexts contexts, Clock clock) {
        this.owner = owner;
        this.lease = lease;
        this.store = store;
        this.contexts = contexts;
        this.clock = clock;
    }

    /**
     * Claims up to {@code slots} tasks under a lease end of this claim's own. When the claim fails, its
     * commit may have gone through all the same (the connection died during it, after the node had
     * replicated it): the tasks it leased to this runner are found by that lease end and run here, instead
     * of expiring unrun and coming back as a second attempt. Nobody else runs them meanwhile: their lease is
     * this runner's and has not expired.
     */
    List<Claimed> claim(int slots, java.util.function.BooleanSupplier running) {
        Instant until = nextLeaseUntil();
        try {
            // one transaction claims, starts (node moves) and reads the contexts' inputs of every claimed task
            return io.quarkus.narayana.jta.QuarkusTransaction.requiringNew().call(() -> {
                List<TaskEntity> tasks = store.claimAndStart(owner, slots, until);
                Map<Long, TaskContexts.Inputs> inputs = contexts.inputsOf(tasks);
                return tasks.stream().map(t -> new Claimed(t, inputs.get(t.id))).toList();
            });
        } catch (RuntimeException e) {
            if (!running.getAsBoolean()) {
                throw e;
            }
            List<TaskEntity> committed;
            try {
                committed = LostRace.retryFor("look for the tasks of a failed claim", lease.dividedBy(3),
                        () -> store.claimedUntil(owner, until));
            } catch (RuntimeException lookup) {
                LOG.warnf("claim failed owner=%s problem=%s, and whether it committed is unknown (problem=%s): what it leased"
                        + " expires and is queued again", owner, e.toString(), lookup.toString());
                throw e;
            }
            if (committed.isEmpty()) {
                throw e;
            }
            LOG.infof("claim failed owner=%s problem=%s but had committed: running its tasks=%s", owner, e.toString(),
                    committed.stream().map(t -> t.id).toList());
            return committed.stream().map(t -> new Claimed(t, null)).toList(); // each started in a transaction of its own
        }
    }

    /** A claimed task and, when the claim started it, what its context is made of (null: start it first). */
    record Claimed(TaskEntity task, TaskContexts.Inputs inputs) { }

    /** A lease end for the next claim (the dispatcher's or a hand-off's): now plus the lease, to the microsecond, later than any before. */
    synchronized Instant nextLeaseUntil() {
        Instant until = clock.instant().plus(lease).truncatedTo(ChronoUnit.MICROS);
        if (!until.isAfter(lastLeaseUntil)) {
            until = lastLeaseUntil.plus(1, ChronoUnit.MICROS);
        }
        lastLeaseUntil = until;
        return until;
    }
}
