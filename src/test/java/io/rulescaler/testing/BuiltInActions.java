package io.rulescaler.testing;

import io.rulescaler.action.ActionParameter;
import io.rulescaler.action.Noop;
import io.rulescaler.action.agent.HandOverNodeToken;
import io.rulescaler.action.compute.DeployEC2Node;
import io.rulescaler.action.compute.DestroyNode;
import io.rulescaler.action.dns.RegisterDns;
import io.rulescaler.action.dns.RemoveDns;
import io.rulescaler.action.email.Email;
import io.rulescaler.action.lb.DeregisterLoadBalancer;
import io.rulescaler.action.lb.DrainLoadBalancer;
import io.rulescaler.action.lb.RegisterLoadBalancer;
import io.rulescaler.action.local.LocalScript;
import io.rulescaler.action.puppet.OSConfiguration;
import io.rulescaler.action.script.DistributeScript;
import io.rulescaler.action.script.FabricTask;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The built-in actions' names and declared parameters without starting the application, for tests
 * that parse chains; {@code RemoteActionBeansTest} checks it equals what the running registry holds.
 */
public final class BuiltInActions {

    private BuiltInActions() {
    }

    public static Map<String, List<ActionParameter>> parameters() {
        Map<String, List<ActionParameter>> m = new TreeMap<>();
        m.put("DeployEC2Node", DeployEC2Node.PARAMETERS);
        m.put("DestroyNode", DestroyNode.PARAMETERS);
        m.put("OSConfiguration", OSConfiguration.PARAMETERS);
        m.put("DistributeScript", DistributeScript.PARAMETERS);
        m.put("FabricTask", FabricTask.PARAMETERS);
        m.put("LocalScript", LocalScript.PARAMETERS);
        m.put("RegisterLoadBalancer", RegisterLoadBalancer.PARAMETERS);
        m.put("DeregisterLoadBalancer", DeregisterLoadBalancer.PARAMETERS);
        m.put("DrainLoadBalancer", DrainLoadBalancer.PARAMETERS);
        m.put("RegisterDns", RegisterDns.PARAMETERS);
        m.put("RemoveDns", RemoveDns.PARAMETERS);
        m.put("Email", Email.PARAMETERS);
        m.put("Noop", Noop.PARAMETERS);
        m.put("HandOverNodeToken", HandOverNodeToken.PARAMETERS);
        m.put("HealthGate", io.rulescaler.action.health.HealthGate.PARAMETERS);
        return m;
    }
}
