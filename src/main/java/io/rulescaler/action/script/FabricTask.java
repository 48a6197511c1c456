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
import io.rulescaler.provider.ssh.SshConnector;
import io.rulescaler.provider.ssh.SshFailure;
import io.rulescaler.provider.ssh.SshTarget;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * Runs a task from an operator's fabfile in {@code fabric-scripts/} with Fabric 2 ({@code fab}) against the
 * chosen nodes, for operators who already keep fabfiles. Fabric accepts any host key by default; here it runs
 * with paramiko's RejectPolicy over the service's own known_hosts, and each host's key is checked (or recorded on
 * first contact) over SSH before Fabric starts.
 *
 * <p>Step parameters: {@code fabfile} (default {@code fabfiles/cluster.py}), {@code task} (required),
 * {@code targets} ({@code node}, {@code peers}, {@code all}), {@code arg.<name>} (passed as {@code --<name>=value}),
 * {@code root}, {@code env.NAME}, {@code user}. The process gets the same RS_* variables as DistributeScript.
 */
@ApplicationScoped
public class FabricTask implements Action {

    private static final Logger LOG = Logger.getLogger(FabricTask.class);
    private static final Pattern TASK = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]{0,127}");
    public static final List<ActionParameter> PARAMETERS = List.of(
            ActionParameter.string("task", "the Fabric task to run").mandatory(),
            ActionParameter.string("fabfile", "a .py file inside the scripts folder").orElse("fabfiles/cluster.py"),
            ScriptTargets.TARGETS,
            ActionParameter.map("arg", "[a-z][a-z0-9_-]{0,63}", "arg.NAME: value is passed to the task as --NAME=value"),
            NodeParameters.ROOT, NodeParameters.MANAGE_SYSTEM, NodeParameters.USER, ScriptTargets.ENV);

    /** Fabric's own entry point, with each connection told to load our known_hosts and reject unknown keys. */
    static final String STRICT_FAB = String.join("\n",
            "import os, sys, paramiko, fabric.connection as fc",
            "_init = fc.Connection.__init__",
            "def _strict(self, *a, **k):",
            "    _init(self, *a, **k)",
            "    self.client.load_host_keys(os.environ['RULESCALER_KNOWN_HOSTS'])",
            "    self.client.set_missing_host_key_policy(paramiko.RejectPolicy())",
            "fc.Connection.__init__ = _strict",
            "from fabric.main import program",
            "program.run()",
            "");

    private final SshConnector ssh;
    private final ScriptsConfig config;

    public FabricTask(SshConnector ssh, ScriptsConfig config) {
        this.ssh = ssh;
        this.config = config;
    }

    @Override
    public String type() {
        return "FabricTask";
    }

    @Override
    public List<ActionParameter> parameters() {
        return PARAMETERS;
    }

    @Override
    public ActionResult run(TaskContext context) throws Exception {
        StepParams params = StepParams.of(context, PARAMETERS);
        String task = params.text("task").orElse(null);
        if (task == null || !TASK.matcher(task).matches()) {
            throw new ActionException("parameter task must name a Fabric task (letters, digits, '_', '.', '-'), was " + task, false);
        }
        Path fabfile = resolveFabfile(params.require("fabfile"));
        List<TargetNode> hosts = ScriptTargets.select(context, params);
        if (hosts.isEmpty()) {
            return ActionResult.ok("fab " + task + ": no hosts to run on");
        }
        List<String> hostArgs = new ArrayList<>();
        for (TargetNode host : hosts) {
            SshTarget target = NodeTargets.of(ssh, context, host);
            try {
                // records the host key on first contact, refuses a changed one, before Fabric connects
                ssh.exec(target, "true", null, OutputStream.nullOutputStream(), ssh.settings().connectTimeout());
            } catch (SshFailure e) {
                throw NodeTargets.failure("fab " + task + " on " + host.name(), e);
            }
            hostArgs.add(target.user() + "@" + target.host() + ":" + target.port());
        }

        List<String> command = new ArrayList<>(List.of(config.fabricPython(), "-c", STRICT_FAB,
                "-r", fabfile.getParent().toString(), "-c", collection(fabfile),
                "-i", ssh.settings().privateKey().toAbsolutePath().toString(),
                "-t", String.valueOf(Math.max(1, ssh.settings().connectTimeout().toSeconds())),
                "-H", String.join(",", hostArgs), task));
        params.map("arg").forEach((name, value) -> command.add("--" + name.replace('_', '-') + "=" + value));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(ScriptTargets.environment(context, null, params));
        Path knownHosts = Files.createTempFile("rulescaler-known-hosts", "");
        try {
            ssh.knownHosts().exportKnownHosts(knownHosts);
            builder.environment().put("RULESCALER_KNOWN_HOSTS", knownHosts.toAbsolutePath().toString());
            context.log().line("fab " + task + " (" + fabfile.getFileName() + ") on " + String.join(",", hostArgs));
            return runFab(context, builder, task, hosts.size());
        } finally {
            Files.deleteIfExists(knownHosts);
        }
    }

    private ActionResult runFab(TaskContext context, ProcessBuilder builder, String task, int hostCount) throws Exception {
        Process process = builder.start();
        process.getOutputStream().close();
        LineLogStream out = new LineLogStream(context.log(), "[fab] ");
        Thread pump = new Thread(() -> copy(process.getInputStream(), out), "fab-output");
        pump.start();
        boolean finished = process.waitFor(context.timeout().toMillis(), TimeUnit.MILLISECONDS);
        if (!finished) {
            process.destroyForcibly();
        }
        pump.join(5_000);
        out.close();
        if (!finished) {
            throw new ActionException("fab " + task + " did not finish within " + context.timeout(), true);
        }
        int exit = process.exitValue();
        LOG.infof("fabric task ran cluster=%s task=%s hosts=%d exit=%d operation=%d", context.cluster().name(), task,
                hostCount, exit, context.operationId());
        if (exit != 0) {
            io.rulescaler.provider.ssh.RemoteFailures.count("fabric", "exit-" + exit);
            List<String> lines = out.lines();
            String tail = String.join(" | ", lines.subList(Math.max(0, lines.size() - 3), lines.size()));
            throw new ActionException("fab " + task + " failed (exit " + exit + "): " + tail, true);
        }
        return ActionResult.ok("fab " + task + " ok on " + hostCount + " hosts", Map.of(ActionOutputs.FABRIC_EXIT_CODE, "0"));
    }

    private static void copy(InputStream in, LineLogStream out) {
        try (in) {
            in.transferTo(out);
        } catch (java.io.IOException e) {
            out.write('\n');
        }
    }

    private static String collection(Path fabfile) {
        String name = fabfile.getFileName().toString();
        return name.substring(0, name.length() - ".py".length());
    }

    private Path resolveFabfile(String name) throws ActionException {
        Path dir = Path.of(config.directory()).toAbsolutePath().normalize();
        Path file = dir.resolve(name).normalize();
        if (!file.startsWith(dir) || !name.endsWith(".py")) {
            throw new ActionException("parameter fabfile must name a .py file inside " + dir + ", was " + name, false);
        }
        if (!Files.isRegularFile(file)) {
            throw new ActionException("fabfile " + name + " not found in " + dir, false);
        }
        return file;
    }
}
