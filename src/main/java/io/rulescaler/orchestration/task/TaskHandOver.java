package io.rulescaler.orchestration.task;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * The intake's short way to this instance's workers: before its transaction it reserves free worker
 * slots, in the transaction that plans an operation it leases the operation's first READY tasks to
 * this instance ({@link TaskStore#claimPlanned}), and after that transaction commits it hands them
 * straight to the workers: no second claim, no dispatcher hop. Nothing runs before the commit; a
 * transaction that fails gives the slots back (what it leased, should its commit have gone through
 * all the same, is found by its lease end and run here, else nothing was leased).
 */
@ApplicationScoped
public class TaskHandOver {

    private static final Logger LOG = Logger.getLogger(TaskHandOver.class);
    private final TaskStore store;
    private volatile TaskRunner runner;
    private final AtomicInteger handed = new AtomicInteger();

    public TaskHandOver(TaskStore store) {
        this.store = store;
    }

    /** The runner whose workers take hand-offs (null: none on this instance, the dispatchers claim everything). */
    public void attach(TaskRunner r) {
        runner = r;
    }

    /** How many tasks reached this instance's workers by a hand-off since start. */
    public int handed() {
        return handed.get();
    }

    /** Reserves this instance's free worker slots for one intake (none when orchestration does not run here). */
    public Reservation reserve() {
        TaskRunner r = runner;
        if (r == null) {
            return new Reservation(null, 0, null);
        }
        java.util.concurrent.Semaphore free = r.slots();
        for (int n = free.availablePermits(); n > 0; n--) {
            if (free.tryAcquire(n)) {
                return new Reservation(r, n, r.nextLeaseUntil());
            }
        }
        return new Reservation(r, 0, null);
    }

    /** Worker slots held for one intake and the tasks leased into them; used by one thread. */
    public final class Reservation {

        private final TaskRunner runner;
        private int slots;
        private final Instant until;
        private List<TaskEntity> claimed = List.of();
        private boolean tookAll;

        private Reservation(TaskRunner runner, int slots, Instant until) {
            this.runner = runner;
            this.slots = slots;
            this.until = until;
        }

        /** In the transaction that planned the operation: leases its first READY tasks, as many as slots are held. */
        public void claim(long operationId) {
            if (slots > 0 && claimed.isEmpty()) {
                claimed = store.claimPlanned(runner.owner(), operationId, slots, until);
                tookAll = claimed.size() < slots;
            }
        }

        /** How many worker slots this reservation holds (given back once it committed or failed). */
        public int slots() {
            return slots;
        }

        /** Whether every READY task of the operation went to the workers (so the dispatcher has nothing to look for). */
        public boolean tookAll() {
            return tookAll;
        }

        /** After the commit: the leased tasks go to the workers, the unused slots back to the dispatcher. */
        public void committed() {
            run(claimed);
        }

        /**
         * The transaction failed or rolled back. If it had leased tasks, its commit may have gone through all
         * the same (the connection died during it): what it leased is found by its lease end and run here,
         * as the dispatcher does after a failed claim; else the leases were never written.
         */
        public void failed() {
            List<TaskEntity> committed = List.of();
            if (!claimed.isEmpty()) {
                try {
                    committed = QuarkusTransaction.requiringNew().call(() -> store.claimedUntil(runner.owner(), until));
                } catch (RuntimeException e) {
                    LOG.warnf("hand-off of tasks=%s: whether the intake committed is unknown (problem=%s); a lease it"
                            + " wrote expires and the task is queued again", claimed.stream().map(t -> t.id).toList(), e.toString());
                }
            }
            run(committed);
        }

        private void run(List<TaskEntity> tasks) {
            if (slots == 0) {
                return;
            }
            int left = slots - tasks.size();
            slots = 0; // once
            runner.giveBack(left);
            for (TaskEntity t : tasks) {
                try {
                    runner.submit(t);
                    handed.incrementAndGet();
                } catch (RuntimeException stopping) { // the runner is closing: the lease expires and the task is queued again
                    LOG.debugf("hand-off of task=%d refused problem=%s", t.id, stopping.toString());
                }
            }
        }
    }
}
