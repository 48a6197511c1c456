package io.rulescaler.action;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * Does nothing (optionally waits {@code sleepMs}); stands in for configuration in benchmarks and
 * in chains of clusters that need no configuration step.
 */
@ApplicationScoped
public class Noop implements Action {

    @Override
    public String type() {
        return "Noop";
    }

    @Override
    public ActionResult run(TaskContext ctx) throws Exception {
        String sleep = ctx.params().get("sleepMs");
        if (sleep != null && !sleep.isBlank()) {
            Thread.sleep(Long.parseLong(sleep.trim()));
        }
        return ActionResult.ok("nothing to do");
    }
}
