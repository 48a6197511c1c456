package io.rulescaler.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/** Every --help prints cleanly (no picocli warnings on standard error), names every default and the exit codes. */
class CliHelpTest {

    @ParameterizedTest(name = "{0} --help")
    @ValueSource(strings = {"", "check-rules", "test-rules", "simulate"})
    void helpPrintsNoWarnings(String command) {
        OfflineCommandsTest.Run r = command.isEmpty() ? OfflineCommandsTest.run("--help") : OfflineCommandsTest.run(command, "--help");
        assertEquals(0, r.exit(), r.err());
        assertEquals("", r.err(), "standard error of " + command + " --help");
        assertTrue(r.out().startsWith("Usage: rulescaler"), r.out());
        if (!command.isEmpty()) {
            assertTrue(r.out().contains("Exit codes:") && r.out().contains("  0   ") && r.out().contains("  1   ")
                    && r.out().contains("  2   could not run"), r.out());
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"check-rules", "test-rules", "simulate"})
    void everyOptionShowsItsDefault(String command) {
        CommandLine cl = RulescalerCommand.commandLine().getSubcommands().get(command);
        for (OptionSpec o : cl.getCommandSpec().options()) {
            if (o.usageHelp() || o.versionHelp() || o.required()) {
                continue;
            }
            String text = String.join(" ", o.description());
            assertTrue(text.contains("default"), command + " " + o.longestName() + ": " + text);
            if (o.defaultValue() != null) {
                assertTrue(text.contains("default: " + o.defaultValue() + ")"), command + " " + o.longestName() + " shows its default value: " + text);
            }
        }
    }
}
