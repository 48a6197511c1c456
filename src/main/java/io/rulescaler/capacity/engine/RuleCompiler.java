package io.rulescaler.capacity.engine;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.kie.api.KieBase;
import org.kie.api.KieBaseConfiguration;
import org.kie.api.KieServices;
import org.kie.api.builder.KieBuilder;
import org.kie.api.builder.KieFileSystem;
import org.kie.api.builder.Message;
import org.kie.api.builder.ReleaseId;
import org.kie.api.conf.EventProcessingOption;
import org.kie.api.runtime.KieContainer;

/**
 * Compiles DRL text into a STREAM-mode knowledge base at run time (no build step, no kjar), so
 * the service, the hot reload and the offline commands all compile rules the same way. Plain
 * Java: usable without CDI, the database or the HTTP server.
 */
public final class RuleCompiler {

    private static final String PREFIX = "src/main/resources/";
    private static final AtomicLong BUILDS = new AtomicLong();
    private static final java.util.regex.Pattern LINE_COL = java.util.regex.Pattern.compile("Line (\\d+):(\\d+)");
    /** One for every compile: the misses it remembers hold for all rule sets (see {@link MissCachingClassLoader}). */
    static final MissCachingClassLoader LOADER = new MissCachingClassLoader(RuleCompiler.class.getClassLoader());

    private RuleCompiler() {
    }

    /** Compiles the files of one rule set; never throws for bad DRL, it reports errors instead (forbidden calls too, see {@link ForbiddenCalls}). */
    public static CompiledRules compile(String ruleSet, List<RuleSource> sources) {
        long start = System.nanoTime();
        List<RuleError> refused = new ArrayList<>();
        sources.forEach(s -> refused.addAll(ForbiddenCalls.scan(s)));
        if (!refused.isEmpty()) {
            return new CompiledRules(ruleSet, null, List.copyOf(refused), sources.stream().map(RuleSource::path).toList(), 0,
                    Duration.ofNanos(System.nanoTime() - start), Instant.now());
        }
        KieServices ks = KieServices.Factory.get();
        KieFileSystem kfs = ks.newKieFileSystem();
        ReleaseId id = ks.newReleaseId("io.rulescaler.rules", safe(ruleSet), "1.0." + BUILDS.incrementAndGet());
        kfs.generateAndWritePomXML(id);
        List<String> files = new ArrayList<>();
        for (RuleSource s : sources) {
            kfs.write(PREFIX + s.path(), s.content());
            files.add(s.path());
        }
        ClassLoader loader = LOADER;
        KieBuilder builder = ks.newKieBuilder(kfs, loader).buildAll();
        List<RuleError> errors = new ArrayList<>();
        for (Message m : builder.getResults().getMessages(Message.Level.ERROR)) {
            String text = oneLine(m.getText());
            int line = m.getLine();
            int column = m.getColumn();
            java.util.regex.Matcher at = LINE_COL.matcher(text);
            if (column <= 0 && at.find()) {
                // parser errors carry the column only in their text ("Line 5:27 no viable alternative")
                line = Integer.parseInt(at.group(1));
                column = Integer.parseInt(at.group(2));
            }
            errors.add(new RuleError(strip(m.getPath()), line, column, text));
        }
        // the parser adds a line-less "null Package" after its real errors: drop that noise
        if (errors.stream().anyMatch(e -> e.line() > 0)) {
            errors.removeIf(e -> e.line() <= 0 && e.message().contains("Parser returned a null Package"));
        }
        errors.sort(Comparator.comparing(RuleError::file, Comparator.nullsFirst(Comparator.naturalOrder()))
                .thenComparingInt(RuleError::line).thenComparingInt(RuleError::column));
        KieBase base = null;
        int rules = 0;
        if (errors.isEmpty()) {
            try {
                KieContainer container = ks.newKieContainer(id, loader);
                KieBaseConfiguration conf = ks.newKieBaseConfiguration();
                conf.setOption(EventProcessingOption.STREAM);
                base = container.newKieBase(conf);
                rules = base.getKiePackages().stream().mapToInt(p -> p.getRules().size()).sum();
            } catch (RuntimeException e) {
                errors.add(new RuleError(sources.isEmpty() ? ruleSet : sources.get(0).path(), 0, 0, oneLine(String.valueOf(e.getMessage()))));
                base = null;
            } finally {
                ks.getRepository().removeKieModule(id);
            }
        } else {
            ks.getRepository().removeKieModule(id);
        }
        return new CompiledRules(ruleSet, base, List.copyOf(errors), List.copyOf(files), rules,
                Duration.ofNanos(System.nanoTime() - start), Instant.now());
    }

    private static String strip(String path) {
        if (path == null) {
            return "";
        }
        return path.startsWith(PREFIX) ? path.substring(PREFIX.length()) : path;
    }

    private static String oneLine(String text) {
        if (text == null) {
            return "";
        }
        String s = text.replaceAll("\\s*\\n\\s*", " ").trim();
        // the parser sometimes reports its own failure with the exception and a stack trace: keep the place only
        int cut = s.indexOf(" Exception: ");
        cut = cut < 0 ? s.indexOf(" Stack trace:") : cut;
        return cut < 0 ? s : s.substring(0, cut).strip() + " (the parser gave up here; check the text around it)";
    }

    private static String safe(String ruleSet) {
        String s = ruleSet == null ? "rules" : ruleSet.replaceAll("[^A-Za-z0-9._-]", "_");
        return s.isEmpty() ? "rules" : s;
    }
}
