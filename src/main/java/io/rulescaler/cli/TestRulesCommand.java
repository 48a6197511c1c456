package io.rulescaler.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code test-rules SCENARIOS…}: runs YAML scenarios against rules on a pseudo clock; exit 1 on any failure, 2 when it cannot run. */
@Command(name = "test-rules", mixinStandardHelpOptions = true,
        description = "Run YAML rule scenarios (signals at times, expected decisions) on a pseudo clock; a diff per failing step.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:every scenario passed", "1:a scenario failed or could not be read",
                "2:could not run: a file or folder is missing, or it holds no scenario"})
public final class TestRulesCommand implements Callable<Integer> {

    @Parameters(arity = "1..*", paramLabel = "SCENARIOS", description = "scenario files or folders of *.yaml")
    List<Path> paths;

    @Option(names = "--rules", paramLabel = "DIR", description = "rules folder to test instead of each scenario's 'rules:' (default: the shipped rules)")
    Path rules;

    @Option(names = "--chains", paramLabel = "DIR",
            description = "chain files the chain guard reads for RunChain verdicts in scenarios with a guard (default: ./actions)")
    Path chains;

    @Option(names = {"-v", "--verbose"}, description = "print what every step concluded: decisions and chain runs, with their verdicts (default: off, only failures)")
    boolean verbose;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        List<Path> files = new ArrayList<>();
        for (Path p : paths) {
            if (Files.isDirectory(p)) {
                try (Stream<Path> s = Files.walk(p)) {
                    s.filter(f -> f.toString().endsWith(".yaml") || f.toString().endsWith(".yml")).sorted().forEach(files::add);
                }
            } else if (Files.isRegularFile(p)) {
                files.add(p);
            } else {
                spec.commandLine().getErr().println(p + ": no such file or folder");
                spec.commandLine().getErr().flush();
                return 2;
            }
        }
        if (files.isEmpty()) {
            spec.commandLine().getErr().println(paths + ": no *.yaml scenarios");
            spec.commandLine().getErr().flush();
            return 2;
        }
        if (rules != null && !Files.isDirectory(rules)) {
            spec.commandLine().getErr().println(rules + ": not a folder");
            spec.commandLine().getErr().flush();
            return 2;
        }
        if (chains != null && !Files.isDirectory(chains)) {
            spec.commandLine().getErr().println(chains + ": not a folder");
            spec.commandLine().getErr().flush();
            return 2;
        }
        ScenarioRunner runner = new ScenarioRunner(rules, chains);
        int passed = 0;
        int failed = 0;
        for (Path f : files) {
            List<Scenario> scenarios;
            try {
                scenarios = ScenarioRunner.read(f);
            } catch (IOException | RuntimeException e) {
                out.printf("FAIL  %s%s: cannot read scenario: %s%n", f, where(f, e), firstLine(e));
                failed++;
                continue;
            }
            for (Scenario sc : scenarios) {
                ScenarioRunner.Result r;
                try {
                    r = runner.run(f, sc);
                } catch (RuntimeException e) {
                    r = new ScenarioRunner.Result(f, sc.name() == null ? f.getFileName().toString() : sc.name(),
                            List.of("cannot run: " + firstLine(e)));
                }
                if (r.passed()) {
                    passed++;
                    out.printf("ok    %s: %s%n", f, r.name());
                } else {
                    failed++;
                    out.printf("FAIL  %s: %s%n", f, r.name());
                    r.failures().forEach(x -> out.println("  " + x));
                }
                if (verbose) {
                    r.steps().forEach(x -> out.println("    " + x));
                }
            }
        }
        out.printf("%d passed, %d failed%n", passed, failed);
        out.flush();
        return failed == 0 && passed > 0 ? 0 : 1;
    }

    /** ":line:column" of a YAML error, where the reader knows it (an unknown key: the key's own line). */
    private static String where(Path file, Exception e) {
        if (e instanceof com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException u && u.getPropertyName() != null) {
            try {
                List<String> lines = Files.readAllLines(file);
                for (int i = 0; i < lines.size(); i++) {
                    int col = lines.get(i).indexOf(u.getPropertyName() + ":");
                    if (col >= 0) {
                        return ":" + (i + 1) + ":" + (col + 1);
                    }
                }
            } catch (IOException | RuntimeException unreadable) {
                // fall back to the reader's position
            }
        }
        if (e instanceof com.fasterxml.jackson.core.JsonProcessingException j && j.getLocation() != null
                && j.getLocation().getLineNr() > 0) {
            return ":" + j.getLocation().getLineNr() + ":" + j.getLocation().getColumnNr();
        }
        return "";
    }

    private static String firstLine(Exception e) {
        String m = e instanceof com.fasterxml.jackson.core.JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
        return m == null ? e.getClass().getSimpleName() : m.split("\n")[0];
    }
}
