package io.rulescaler.action;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/**
 * Does nothing (optionally waits {@code sleepMs}); stands in for configuration in benchmarks and
 * in chains of clusters that need no configuration step.
 */
@ApplicationScoped
public class Noop implements Action {

    public static final List<ActionParameter> PARAMETERS = List.of(
            ActionParameter.integer("sleepMs", "milliseconds to wait before succeeding").between(0, 86_400_000).orElse("0"));

    @Override
    public String type() {
        return "Noop";
    }

    @Override
    public List<ActionParameter> parameters() {
        return PARAMETERS;
    }

    @Override
    public ActionResult run(TaskContext ctx) throws Exception {
        int sleep = StepParams.of(ctx, PARAMETERS).integer("sleepMs", 0);
        if (sleep > 0) {
            Thread.sleep(sleep);
        }
        return ActionResult.ok("nothing to do");
    }
}
