package io.rulescaler.boot;

import jakarta.annotation.Priority;
import jakarta.interceptor.AroundInvoke;
import jakarta.interceptor.Interceptor;
import jakarta.interceptor.InvocationContext;
import org.jboss.logging.Logger;

/**
 * Runs a {@link StopGated} round inside the shared stop gate: once the stop began the round is skipped, and
 * a round that fails because the stop closed the database under it is logged at debug, not as a problem.
 */
@StopGated
@Interceptor
@Priority(Interceptor.Priority.PLATFORM_BEFORE)
public class StopGatedRounds {

    private static final Logger LOG = Logger.getLogger(StopGatedRounds.class);

    private final ScheduledRounds rounds;

    public StopGatedRounds(ScheduledRounds rounds) {
        this.rounds = rounds;
    }

    @AroundInvoke
    Object around(InvocationContext ctx) throws Exception {
        StopGate gate = rounds.gate();
        if (!gate.enter()) {
            return null;
        }
        Round round = Round.begin(ctx.getMethod().getDeclaringClass().getSimpleName() + "." + ctx.getMethod().getName());
        try {
            return ctx.proceed();
        } catch (RuntimeException e) {
            if (gate.closed()) {
                LOG.debugf("%s.%s cut short by the stop problem=%s", ctx.getMethod().getDeclaringClass().getSimpleName(),
                        ctx.getMethod().getName(), e.toString());
                return null;
            }
            throw e;
        } finally {
            round.done();
            gate.leave();
        }
    }
}
