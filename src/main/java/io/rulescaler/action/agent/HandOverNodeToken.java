package io.rulescaler.action.agent;

import io.rulescaler.action.Action;
import io.rulescaler.action.ActionException;
import io.rulescaler.action.ActionParameter;
import io.rulescaler.action.ActionResult;
import io.rulescaler.action.NodeTargets;
import io.rulescaler.action.StepParams;
import io.rulescaler.action.TaskContext;
import io.rulescaler.provider.ssh.SshConnector;
import io.rulescaler.provider.ssh.SshFailure;
import io.rulescaler.security.TokenService;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Gives a new node its own token for the agent: issues a {@code node} token bound to the node (a
 * fresh one replaces any earlier) and writes it with the service URL and the node id to
 * {@code <root>/etc/rulescaler/agent.env}, mode 0600, over SSH (or on this host with
 * {@code local: "true"}, for stub machines). The token is revoked when the node is destroyed. The
 * secret is never logged nor kept in the task's outputs.
 */
@ApplicationScoped
public class HandOverNodeToken implements Action {

    private static final Logger LOG = Logger.getLogger(HandOverNodeToken.class);
    public static final List<ActionParameter> PARAMETERS = List.of(
            ActionParameter.string("root", "file prefix on the node ({node} becomes the node's name; default none)"),
            ActionParameter.string("url", "service URL the agent posts to (default rulescaler.agent.service-url)"),
            ActionParameter.integer("interval", "seconds between heartbeats (default 15)").between(1, 3600),
            ActionParameter.words("units", "watched systemd units (default tomcat10)"),
            ActionParameter.string("user", "SSH login (default: the template's login user)"),
            ActionParameter.bool("local", "write the file on this host instead of over SSH (stub machines)"));

    private final TokenService tokens;
    private final SshConnector ssh;
    private final AgentConfig config;

    public HandOverNodeToken(TokenService tokens, SshConnector ssh, AgentConfig config) {
        this.tokens = tokens;
        this.ssh = ssh;
        this.config = config;
    }

    @Override
    public String type() {
        return "HandOverNodeToken";
    }

    @Override
    public List<ActionParameter> parameters() {
        return PARAMETERS;
    }

    @Override
    public ActionResult run(TaskContext context) throws Exception {
        TaskContext.TargetNode node = NodeTargets.requireNode(context, type());
        StepParams params = StepParams.of(context, PARAMETERS);
        String root = params.text("root").orElse("").replace("{node}", node.name());
        String url = params.text("url").orElse(config.serviceUrl()).replaceAll("/+$", "");
        int interval = params.integer("interval", 15);
        List<String> units = params.words("units");
        TokenService.IssuedToken token = tokens.issueForNode(node.id(), node.name());
        String env = "# Written by rulescaler (HandOverNodeToken): the agent's node token. Keep mode 0600.\n"
                + "RULESCALER_URL=" + url + "\n"
                + "RULESCALER_NODE_ID=" + node.id() + "\n"
                + "RULESCALER_TOKEN=" + token.token() + "\n"
                + "RULESCALER_INTERVAL=" + interval + "\n"
                + "RULESCALER_UNITS=\"" + String.join(" ", units.isEmpty() ? List.of("tomcat10") : units) + "\"\n";
        String file = root + "/etc/rulescaler/agent.env";
        try {
            if (params.bool("local")) {
                writeLocal(Path.of(file), env);
            } else {
                writeRemote(context, node, root, env);
            }
        } catch (ActionException | RuntimeException e) {
            tokens.revokeForNode(node.id());
            throw e;
        }
        context.log().line("agent token " + token.name() + " handed to " + node.name() + " in " + file + " (mode 0600)");
        LOG.infof("node token handed over cluster=%s node=%s token=%s operation=%d", context.cluster().name(), node.name(),
                token.name(), context.operationId());
        return ActionResult.ok("node token " + token.name() + " written to " + file, Map.of("agent.token", token.name()));
    }

    private static void writeLocal(Path file, String env) throws ActionException {
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling("agent.env.new");
            Files.deleteIfExists(tmp);
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(tmp, env);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new ActionException("writing " + file + ": " + e.getMessage(), false, e);
        }
    }

    private void writeRemote(TaskContext context, TaskContext.TargetNode node, String root, String env) throws ActionException {
        String dir = quote(root + "/etc/rulescaler");
        String command = "umask 077 && mkdir -p " + dir + " && cat > " + dir + "/agent.env.new && chmod 0600 " + dir
                + "/agent.env.new && mv -f " + dir + "/agent.env.new " + dir + "/agent.env";
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            int exit = ssh.exec(NodeTargets.of(ssh, context, node), command,
                    new ByteArrayInputStream(env.getBytes(StandardCharsets.UTF_8)), out, context.timeout(), context::cancelled).exitStatus();
            if (exit != 0) {
                throw new ActionException("writing the agent token on " + node.name() + " exited " + exit + ": "
                        + out.toString(StandardCharsets.UTF_8).strip(), true);
            }
        } catch (SshFailure e) {
            throw NodeTargets.failure("handing the agent token to " + node.name(), e);
        }
    }

    private static String quote(String s) {
        return "'" + s.replace("'", "'\"'\"'") + "'";
    }
}
