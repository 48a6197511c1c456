package io.rulescaler.cli;

import io.rulescaler.capacity.engine.CompiledRules;
import io.rulescaler.capacity.engine.RuleCompiler;
import io.rulescaler.capacity.engine.RuleError;
import io.rulescaler.capacity.engine.RuleSets;
import io.rulescaler.capacity.engine.RuleSource;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code check-rules DIR}: compiles every rule set of a folder exactly as the service would and
 * prints {@code file:line:column: message} per error; exit 1 on errors, 2 when there is nothing to check.
 */
@Command(name = "check-rules", mixinStandardHelpOptions = true,
        description = "Compile the DRL files of a folder (sub-folders are rule sets) as the service would; errors as file:line:column.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:every rule set compiles", "1:errors (printed as file:line:column: message)",
                "2:could not run: not a folder, or no .drl files in it"})
public final class CheckRulesCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "DIR", description = "rules folder (one sub-folder per rule set, or .drl files directly)")
    Path directory;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (!Files.isDirectory(directory)) {
            err.println(directory + ": not a folder");
            return 2;
        }
        Map<String, List<RuleSource>> sets = RuleSets.directory(directory);
        if (sets.isEmpty()) {
            err.println(directory + ": no .drl files found");
            return 2;
        }
        int errors = 0;
        for (Map.Entry<String, List<RuleSource>> e : sets.entrySet()) {
            CompiledRules r = RuleCompiler.compile(e.getKey(), e.getValue());
            if (r.ok()) {
                out.printf("ok    %s: %d file(s), %d rule(s) in %d ms%n", e.getKey(), r.files().size(), r.ruleCount(), r.took().toMillis());
            } else {
                out.printf("FAIL  %s: %d error(s)%n", e.getKey(), r.errors().size());
                out.flush();
                for (RuleError x : r.errors()) {
                    err.println(new RuleError(onDisk(x.file()), x.line(), x.column(), x.message()).format());
                }
                errors += r.errors().size();
            }
        }
        out.flush();
        err.flush();
        return errors == 0 ? 0 : 1;
    }

    /** The error's file as a path the user can open. */
    private String onDisk(String path) {
        Path nested = directory.resolve(path);
        if (Files.exists(nested)) {
            return nested.toString();
        }
        int slash = path.indexOf('/');
        return directory.resolve(slash < 0 ? path : path.substring(slash + 1)).toString();
    }
}
