package io.rulescaler.action.local;

import io.rulescaler.action.Action;
import io.rulescaler.action.ActionException;
import io.rulescaler.action.ActionParameter;
import io.rulescaler.action.ActionResult;
import io.rulescaler.action.StepParams;
import io.rulescaler.action.TaskContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Runs a script from the scripts folder on the service host, with the cluster, node and operation
 * values in its environment; output goes to the task log; lines {@code ::output key=value} become
 * outputs for later steps. Non-zero exit fails the task (retryable; the chain sets attempts).
 */
@ApplicationScoped
public class LocalScript implements Action {

    public static final List<ActionParameter> PARAMETERS = List.of(
            ActionParameter.string("script", "the script, a path inside the scripts folder").mandatory(),
            ActionParameter.words("args", "arguments passed to the script"),
            ActionParameter.anyOther("passed to the script as the variable RULESCALER_PARAM_<NAME>"));

    private final Path directory;
    private final String shell;

    public LocalScript(LocalScriptConfig config) {
        this.directory = Path.of(config.directory()).toAbsolutePath().normalize();
        this.shell = config.shell();
    }

    @Override
    public String type() {
        return "LocalScript";
    }

    @Override
    public List<ActionParameter> parameters() {
        return PARAMETERS;
    }

    @Override
    public ActionResult run(TaskContext ctx) throws Exception {
        StepParams params = StepParams.of(ctx, PARAMETERS);
        String script = params.text("script").orElse(null);
        if (script == null) {
            throw new ActionException("LocalScript needs param 'script' (a path under " + directory + ")", false);
        }
        Path file = directory.resolve(script).normalize();
        if (!file.startsWith(directory)) {
            throw new ActionException("script '" + script + "' lies outside " + directory, false);
        }
        if (!Files.isRegularFile(file)) {
            throw new ActionException("script " + file + " does not exist", false);
        }
        List<String> cmd = new ArrayList<>();
        if (!Files.isExecutable(file)) {
            cmd.add(shell);
        }
        cmd.add(file.toString());
        cmd.addAll(params.words("args"));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(directory.toFile()).redirectErrorStream(true);
        pb.environment().putAll(environment(ctx, params));
        ctx.log().line("$ " + String.join(" ", cmd));
        Process p = pb.start();
        Map<String, String> outputs = new LinkedHashMap<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    if (line.startsWith("::output ") && line.indexOf('=') > 9) {
                        int eq = line.indexOf('=');
                        synchronized (outputs) {
                            outputs.put(line.substring(9, eq).trim(), line.substring(eq + 1));
                        }
                    }
                    ctx.log().append(line + "\n");
                }
            } catch (java.io.IOException ignored) {
                // the process was killed
            }
        }, "local-script-output");
        reader.setDaemon(true);
        reader.start();
        try {
            if (!p.waitFor(ctx.timeout().toMillis(), TimeUnit.MILLISECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                throw new ActionException("script " + script + " did not finish within " + ctx.timeout().toSeconds() + " s; killed", true);
            }
        } catch (InterruptedException e) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            throw e;
        }
        reader.join(2000);
        int exit = p.exitValue();
        if (exit != 0) {
            throw new ActionException("script " + script + " exited with " + exit + " (see the task log)", true);
        }
        synchronized (outputs) {
            return ActionResult.ok("script " + script + " exited 0", outputs);
        }
    }

    static Map<String, String> environment(TaskContext ctx, StepParams params) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("RULESCALER_CLUSTER", ctx.cluster().name());
        env.put("RULESCALER_PROVIDER", ctx.cluster().provider());
        env.put("RULESCALER_OPERATION_ID", Long.toString(ctx.operationId()));
        env.put("RULESCALER_TASK_ID", Long.toString(ctx.taskId()));
        env.put("RULESCALER_STEP", ctx.step());
        ctx.node().ifPresent(n -> {
            env.put("RULESCALER_NODE", n.name());
            env.put("RULESCALER_NODE_ID", Long.toString(n.id()));
            env.put("RULESCALER_NODE_INDEX", Integer.toString(n.index()));
            env.put("RULESCALER_NODE_ZONE", n.zone() == null ? "" : n.zone());
            env.put("RULESCALER_NODE_ADDRESS", n.address() == null ? "" : n.address());
            env.put("RULESCALER_NODE_PROVIDER_ID", n.providerId() == null ? "" : n.providerId());
        });
        env.put("RULESCALER_PEERS", ctx.peers().stream().map(n -> n.address() == null ? n.name() : n.address())
                .collect(Collectors.joining(",")));
        params.all().forEach((k, v) -> env.put("RULESCALER_PARAM_" + k.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_"), v));
        return env;
    }
}
