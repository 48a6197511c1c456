package io.rulescaler.action.puppet;

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
import io.rulescaler.cluster.ClusterSpec;
import io.rulescaler.provider.ssh.LineLogStream;
import io.rulescaler.provider.ssh.Shell;
import io.rulescaler.provider.ssh.SshConnector;
import io.rulescaler.provider.ssh.SshFailure;
import io.rulescaler.provider.ssh.SshTarget;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Configures a node with Puppet: copies the local {@code puppet/} folder to the node over SSH and runs
 * {@code puppet apply --detailed-exitcodes} there, with the node's place in the cluster given as facts.
 *
 * <p>Step parameters: {@code manifest} (default {@code manifests/site.pp}), {@code role} (default {@code app}),
 * {@code root} (file prefix, default none), {@code manageSystem} (default {@code true}), {@code user} (SSH login),
 * {@code sudo} ({@code true}: run Puppet through {@code sudo -n} when the login user is not root),
 * and any {@code fact.<name>} which becomes the fact {@code rulescaler_<name>}. Facts always set:
 * {@code rulescaler_cluster, _node, _node_index, _zone, _role, _load_balancer, _load_balancer_type, _peers,
 * _peer_names, _root, _manage_system}, and each of the cluster's {@code parameters} as
 * {@code rulescaler_param_<name>} (lower case, anything but letters, digits and '_' as '_': {@code app.warUrl}
 * becomes {@code rulescaler_param_app_warurl}).
 *
 * <p>Exit codes 0 and 2 succeed; 4 and 6 fail naming the failed resources (retryable: a download or a
 * health wait may pass next time); 1 (no catalog) fails for good.
 */
@ApplicationScoped
public class OSConfiguration implements Action {

    private static final Logger LOG = Logger.getLogger(OSConfiguration.class);
    public static final List<ActionParameter> PARAMETERS = List.of(
            ActionParameter.string("manifest", "a .pp file inside the Puppet folder").orElse("manifests/site.pp"),
            ActionParameter.string("role", "the node's role, fact rulescaler_role").orElse("app"),
            NodeParameters.ROOT, NodeParameters.MANAGE_SYSTEM, NodeParameters.USER, NodeParameters.SUDO,
            ActionParameter.map("fact", "[a-z][a-z0-9_]{0,63}", "fact.NAME: value becomes the fact rulescaler_NAME"));
    private static final Pattern MANIFEST = Pattern.compile("[A-Za-z0-9_./-]+\\.pp");

    private final SshConnector ssh;
    private final PuppetConfig config;

    public OSConfiguration(SshConnector ssh, PuppetConfig config) {
        this.ssh = ssh;
        this.config = config;
    }

    @Override
    public String type() {
        return "OSConfiguration";
    }

    @Override
    public List<ActionParameter> parameters() {
        return PARAMETERS;
    }

    @Override
    public ActionResult run(TaskContext context) throws Exception {
        TargetNode node = NodeTargets.requireNode(context, type());
        SshTarget target = NodeTargets.of(ssh, context, node);
        Path local = Path.of(config.directory());
        if (!Files.isDirectory(local.resolve("modules"))) {
            throw new ActionException("Puppet folder " + local.toAbsolutePath() + " has no modules/ (rulescaler.puppet.directory)", false);
        }
        StepParams params = StepParams.of(context, PARAMETERS);
        String manifest = params.require("manifest");
        if (!MANIFEST.matcher(manifest).matches() || manifest.contains("..")) {
            throw new ActionException("parameter manifest must be a .pp path inside the Puppet folder, was " + manifest, false);
        }
        if (!Files.isRegularFile(local.resolve(manifest))) {
            throw new ActionException("manifest " + manifest + " not found in " + local.toAbsolutePath(), false);
        }
        if (context.cancelled()) {
            throw new ActionException("operation cancelled before Puppet ran on " + node.name(), false);
        }
        Map<String, String> env = facts(context, node, params);
        String remote = config.remoteDirectory() + "/op" + context.operationId() + "-task" + context.taskId();
        String sudo = params.bool("sudo") ? "sudo -n " : "";
        // D: the copy's absolute path on the node, so a relative remote directory (from the login's
        // home) works for Puppet's --modulepath and for the clean-up alike
        String command = "cd " + Shell.quote(remote) + " && D=\"$PWD\" && " + sudo + "env " + Shell.env(env) + config.command()
                + " --color=false --detailed-exitcodes --modulepath \"$D\"/modules"
                + " " + config.extraArguments().orElse("") + " \"$D\"/" + Shell.quote(manifest)
                + "; rc=$?; [ -n \"$D\" ] && rm -rf \"$D\"; exit $rc";

        PuppetOutcome outcome = new PuppetOutcome();
        context.log().line("puppet: copying " + local + " to " + target + ":" + remote);
        try (LineLogStream out = new LineLogStream(context.log(), "[" + node.name() + "] ", outcome::accept)) {
            ssh.upload(target, local, remote, out, context.timeout());
            context.log().line("puppet: applying " + manifest + " on " + node.name() + " role=" + env.get("FACTER_rulescaler_role"));
            int exit = ssh.exec(target, command, null, out, context.timeout(), context::cancelled).exitStatus();
            out.close();
            LOG.infof("puppet applied cluster=%s node=%s exit=%d operation=%d", context.cluster().name(), node.name(),
                    exit, context.operationId());
            if (!PuppetOutcome.succeeded(exit)) {
                io.rulescaler.provider.ssh.RemoteFailures.count("puppet", "exit-" + exit);
                throw new ActionException(outcome.describeFailure(node.name(), exit), exit == 4 || exit == 6);
            }
            return ActionResult.ok("puppet applied on " + node.name() + (exit == 2 ? " (changes made)" : " (no changes)"),
                    Map.of(ActionOutputs.PUPPET_EXIT_CODE, String.valueOf(exit), ActionOutputs.PUPPET_CHANGED, String.valueOf(exit == 2)));
        } catch (SshFailure e) {
            throw NodeTargets.failure("puppet on " + node.name(), e);
        }
    }

    private Map<String, String> facts(TaskContext context, TargetNode node, StepParams params) throws ActionException {
        ClusterSpec cluster = context.cluster();
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("cluster", cluster.name());
        facts.put("node", node.name());
        facts.put("node_index", String.valueOf(node.index()));
        facts.put("zone", node.zone() == null ? "" : node.zone());
        facts.put("role", params.require("role"));
        ClusterSpec.LoadBalancer lb = cluster.loadBalancer();
        facts.put("load_balancer", lb == null || lb.address() == null ? "" : lb.address());
        facts.put("load_balancer_type", lb == null ? "none" : lb.type());
        facts.put("peers", context.peers().stream().map(NodeTargets::host).collect(Collectors.joining(",")));
        facts.put("peer_names", context.peers().stream().map(TargetNode::name).collect(Collectors.joining(",")));
        // as in DistributeScript: a {node} in root becomes the node's name (several test nodes on one machine)
        facts.put("root", params.text("root").orElse("").replace("{node}", node.name()));
        facts.put("manage_system", String.valueOf(params.bool("manageSystem")));
        // the cluster's parameters first, so a step's own fact.param_* still wins
        Map<String, String> all = new LinkedHashMap<>();
        cluster.parametersOrEmpty().forEach((name, value) -> all.put(parameterFact(name), value));
        all.putAll(facts);
        all.putAll(params.map("fact"));
        facts = all;
        Map<String, String> env = new LinkedHashMap<>();
        facts.forEach((name, value) -> env.put("FACTER_rulescaler_" + name, value));
        return env;
    }

    /** The fact name (after {@code rulescaler_}) of a cluster parameter: app.warUrl becomes param_app_warurl. */
    public static String parameterFact(String parameter) {
        return "param_" + parameter.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
    }
}
