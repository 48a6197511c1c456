package io.rulescaler.action.script;

import io.rulescaler.action.Action;
import io.rulescaler.action.ActionException;
import io.rulescaler.action.ActionOutputs;
import io.rulescaler.action.ActionParameter;
import io.rulescaler.action.ActionResult;
import io.rulescaler.action.NodeParameters;
import io.rulescaler.action.NodeTargets;
import io.rulescaler.action.StepParams;
import io.rulescaler.action.TaskContext;
import io.rulescaler.action.TaskContext.TargetNode;
import io.rulescaler.provider.ssh.LineLogStream;
import io.rulescaler.provider.ssh.Shell;
import io.rulescaler.provider.ssh.SshConnector;
import io.rulescaler.provider.ssh.SshFailure;
import io.rulescaler.provider.ssh.SshTarget;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * Runs one script from {@code fabric-scripts/} on one node or on many in parallel over SSH (the script is fed
 * to {@code bash -s} on the node, so nothing is left behind), with a result per host.
 *
 * <p>Step parameters: {@code script} (required, a path inside the scripts folder), {@code args} (words
 * separated by spaces), {@code targets} ({@code node}, {@code peers}, {@code all}), {@code parallelism},
 * {@code tolerateFailures} (0 = fail fast: no new host starts after the first failure), {@code root},
 * {@code manageSystem}, {@code user}, {@code sudo} ({@code true}: through {@code sudo -n}), {@code env.NAME}. Outputs: {@code script.<node>.exit} per host,
 * {@code script.succeeded}, {@code script.failed}.
 *
 * <pre>
 * host: pending ──start──> running ──exit 0──> ok
 *          │                  └──exit≠0 / SSH error──> failed
 *          └── failures > tolerated or cancelled ──> skipped
 * </pre>
 */
@ApplicationScoped
public class DistributeScript implements Action {

    private static final Logger LOG = Logger.getLogger(DistributeScript.class);
    public static final List<ActionParameter> PARAMETERS = List.of(
            ActionParameter.string("script", "the script, a path inside the scripts folder").mandatory(),
            ActionParameter.words("args", "arguments passed to the script"),
            ScriptTargets.TARGETS,
            ActionParameter.integer("parallelism", "hosts at once (default: rulescaler.scripts.parallelism)").between(1, 256),
            ActionParameter.integer("tolerateFailures", "hosts that may fail before the step fails; 0 = fail fast")
                    .between(0, 10_000).orElse("0"),
            NodeParameters.ROOT, NodeParameters.MANAGE_SYSTEM, NodeParameters.USER, NodeParameters.SUDO, ScriptTargets.ENV);

    /** How one host ended. */
    record HostResult(TargetNode node, String state, int exit, String detail, boolean retryable) {
    }

    private final SshConnector ssh;
    private final ScriptsConfig config;

    public DistributeScript(SshConnector ssh, ScriptsConfig config) {
        this.ssh = ssh;
        this.config = config;
    }

    @Override
    public String type() {
        return "DistributeScript";
    }

    @Override
    public List<ActionParameter> parameters() {
        return PARAMETERS;
    }

    @Override
    public ActionResult run(TaskContext context) throws Exception {
        StepParams params = StepParams.of(context, PARAMETERS);
        String name = params.text("script").orElse(null);
        Path script = resolveScript(name);
        byte[] body = Files.readAllBytes(script);
        List<TargetNode> hosts = ScriptTargets.select(context, params);
        if (hosts.isEmpty()) {
            return ActionResult.ok(name + ": no hosts to run on", Map.of(ActionOutputs.SCRIPT_SUCCEEDED, "0", ActionOutputs.SCRIPT_FAILED, ""));
        }
        int parallelism = params.integer("parallelism", config.parallelism());
        int tolerated = params.integer("tolerateFailures", 0);
        StringBuilder argv = new StringBuilder();
        for (String arg : params.words("args")) {
            argv.append(' ').append(Shell.quote(arg));
        }
        AtomicInteger failures = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(parallelism, hosts.size()));
        List<Future<HostResult>> running = new ArrayList<>();
        try {
            for (TargetNode host : hosts) {
                running.add(pool.submit(() -> runOn(context, params, host, name, body, argv.toString(), failures, tolerated)));
            }
            List<HostResult> results = new ArrayList<>();
            for (Future<HostResult> future : running) {
                results.add(future.get());
            }
            return summarise(context, name, results, tolerated);
        } finally {
            pool.shutdownNow();
        }
    }

    private HostResult runOn(TaskContext context, StepParams params, TargetNode host, String name, byte[] body, String argv,
            AtomicInteger failures, int tolerated) {
        if (failures.get() > tolerated || context.cancelled()) {
            context.log().line("[" + host.name() + "] skipped: " + (context.cancelled() ? "operation cancelled" : "too many failures"));
            return new HostResult(host, "skipped", -1, "not started", true);
        }
        try (LineLogStream out = new LineLogStream(context.log(), "[" + host.name() + "] ")) {
            SshTarget target = NodeTargets.of(ssh, context, host);
            String sudo = params.bool("sudo") ? "sudo -n " : "";
            String command = sudo + "env " + Shell.env(ScriptTargets.environment(context, host, params)) + "bash -s --" + argv;
            int exit = ssh.exec(target, command, new ByteArrayInputStream(body), out, context.timeout(), context::cancelled).exitStatus();
            out.close();
            if (exit == 0) {
                return new HostResult(host, "ok", 0, "", false);
            }
            failures.incrementAndGet();
            io.rulescaler.provider.ssh.RemoteFailures.count("script", "exit-" + exit);
            List<String> lines = out.lines();
            String last = lines.isEmpty() ? "" : lines.get(lines.size() - 1);
            return new HostResult(host, "failed", exit, "exit " + exit + (last.isEmpty() ? "" : ": " + last), true);
        } catch (SshFailure e) {
            failures.incrementAndGet();
            io.rulescaler.provider.ssh.RemoteFailures.count("ssh", e.kind().name().toLowerCase());
            return new HostResult(host, "failed", -1, e.getMessage(), e.kind().retryable());
        } catch (ActionException e) {
            failures.incrementAndGet();
            return new HostResult(host, "failed", -1, e.getMessage(), e.retryable());
        }
    }

    private ActionResult summarise(TaskContext context, String name, List<HostResult> results, int tolerated)
            throws ActionException {
        Map<String, String> outputs = new LinkedHashMap<>();
        List<String> failed = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        int ok = 0;
        boolean retryable = true;
        for (HostResult r : results) {
            outputs.put(ActionOutputs.scriptExit(r.node().name()), String.valueOf(r.exit()));
            context.log().line("[" + r.node().name() + "] " + name + ": " + r.state() + (r.detail().isEmpty() ? "" : " (" + r.detail() + ")"));
            if (r.state().equals("ok")) {
                ok++;
            } else if (r.state().equals("failed")) {
                failed.add(r.node().name());
                problems.add(r.node().name() + ": " + r.detail());
                retryable &= r.retryable();
            }
        }
        outputs.put(ActionOutputs.SCRIPT_SUCCEEDED, String.valueOf(ok));
        outputs.put(ActionOutputs.SCRIPT_FAILED, String.join(",", failed));
        LOG.infof("script distributed cluster=%s script=%s ok=%d failed=%d operation=%d", context.cluster().name(), name,
                ok, failed.size(), context.operationId());
        long skipped = results.stream().filter(r -> r.state().equals("skipped")).count();
        if (failed.size() > tolerated) {
            throw new ActionException(name + " failed on " + failed.size() + " of " + results.size() + " hosts (tolerated "
                    + tolerated + (skipped > 0 ? ", " + skipped + " not started" : "") + "): " + String.join("; ", problems), retryable);
        }
        if (skipped > 0) {
            throw new ActionException(name + ": operation cancelled, " + skipped + " hosts not started", false);
        }
        return ActionResult.ok(name + " ok on " + ok + "/" + results.size() + " hosts"
                + (failed.isEmpty() ? "" : ", tolerated failures on " + String.join(",", failed)), outputs);
    }

    private Path resolveScript(String name) throws ActionException {
        if (name == null || name.isBlank()) {
            throw new ActionException("parameter script is required (a file in " + config.directory() + ")", false);
        }
        Path dir = Path.of(config.directory()).toAbsolutePath().normalize();
        Path script = dir.resolve(name).normalize();
        if (!script.startsWith(dir)) {
            throw new ActionException("parameter script must name a file inside " + dir + ", was " + name, false);
        }
        if (!Files.isRegularFile(script)) {
            throw new ActionException("script " + name + " not found in " + dir, false);
        }
        return script;
    }
}
