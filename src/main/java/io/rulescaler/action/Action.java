package io.rulescaler.action;

import java.util.List;

/**
 * One kind of step a chain can run (deploy a node, apply Puppet, run a script, send mail).
 * Implementations are CDI beans named exactly as their {@link #type()}; a new action is one class
 * and the line of chain YAML that names it. Every action must be safe to run again after a crash
 * (idempotent or adopting earlier results).
 */
public interface Action {

    /** The name chains use for this action, e.g. {@code DeployEC2Node}; also the class's simple name. */
    String type();

    /**
     * The step parameters this action reads; a chain giving any other, missing a required one or
     * giving a value of the wrong type is refused when it loads. Read them with {@link StepParams}.
     */
    default List<ActionParameter> parameters() {
        return List.of();
    }

    /** Performs the task; throw {@link ActionException} for a failure a person can act on. */
    ActionResult run(TaskContext context) throws Exception;
}
