package io.rulescaler.orchestration;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

/** What the byon stories share: the shipped chains rewritten for a scratch root and local URLs. */
final class ByonStage {

    private ByonStage() {
    }

    /**
     * The shipped chain with a scratch root, manageSystem=false and local URLs (and, when {@code serviceUrl} is
     * set, the agent told to post there): nothing else changes.
     */
    @SuppressWarnings("unchecked")
    static void writeChain(String shipped, String name, Path roots, String war, String health, String serviceUrl) throws Exception {
        Yaml yaml = new Yaml();
        Map<String, Object> chain = yaml.load(Files.readString(Path.of("actions", shipped + ".yaml")));
        chain.put("name", name);
        for (Map<String, Object> step : (List<Map<String, Object>>) chain.get("steps")) {
            String action = (String) step.get("action");
            if (action.equals("OSConfiguration") || action.equals("DistributeScript") || action.equals("HandOverNodeToken")) {
                Map<String, Object> params = (Map<String, Object>) step.computeIfAbsent("params", k -> new LinkedHashMap<>());
                params.put("root", roots.resolve("{node}").toString());
                if (!action.equals("HandOverNodeToken")) {
                    params.put("manageSystem", "false");
                } else if (serviceUrl != null) {
                    params.put("url", serviceUrl);
                }
                params.replaceAll((k, v) -> k.endsWith("war_url") || k.equals("env.APP_URL") ? war
                        : k.endsWith("health_url") || k.equals("env.APP_HEALTH_URL") ? health : v);
            }
        }
        DumperOptions o = new DumperOptions();
        o.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        Files.writeString(OrchestrationTestResources.CHAINS.resolve(name + ".yaml"), new Yaml(o).dump(chain));
    }
}
