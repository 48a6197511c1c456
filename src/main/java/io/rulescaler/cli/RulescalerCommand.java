package io.rulescaler.cli;

import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The offline command line carried by the service jar: rule checks, rule tests and simulations
 * that run without the database or the HTTP server.
 */
@Command(name = "rulescaler", mixinStandardHelpOptions = true, version = "rulescaler 0.1.0",
        description = "Offline tools for rule authors. Without a command, the jar starts the service.",
        subcommands = {CheckRulesCommand.class, TestRulesCommand.class, SimulateCommand.class})
public final class RulescalerCommand implements Runnable {

    /** Commands that run offline; anything else starts the service. */
    public static final Set<String> OFFLINE = Set.of("check-rules", "test-rules", "simulate", "help", "--help", "-h", "--version", "-V");

    public static boolean isOfflineCommand(String... args) {
        return args.length > 0 && OFFLINE.contains(args[0]);
    }

    /** Runs the command line and returns its exit code. */
    public static int execute(String... args) {
        return commandLine().execute(args);
    }

    /**
     * The command line with its exit codes: 0 passed, 1 failed, 2 could not run. A bad option is
     * 2 (picocli's usage code), and so is an unexpected error (picocli would say 1, "failed").
     */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new RulescalerCommand());
        cl.addSubcommand("help", new CommandLine.HelpCommand());
        cl.setExecutionExceptionHandler((e, line, parsed) -> {
            line.getErr().println(line.getCommandName() + ": could not run: " + e);
            line.getErr().flush();
            return 2;
        });
        return cl;
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

}
