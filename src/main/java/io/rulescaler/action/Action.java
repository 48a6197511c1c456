package io.rulescaler.action;

/**
 * One kind of step a chain can run (deploy a node, apply Puppet, run a script, send mail).
 * Implementations are CDI beans; a new action is one class whose {@link #type()} a chain names.
 * Every action must be safe to run again after a crash (idempotent or adopting earlier results).
 */
public interface Action {

    /** The name chains use for this action, e.g. {@code DeployEC2Node}. */
    String type();

    /** Performs the task; throw {@link ActionException} for a failure a person can act on. */
    ActionResult run(TaskContext context) throws Exception;
}
