package numa.agent.observe;

import java.util.List;

/**
 * The agent as the MBean describes it: how it was loaded, with what, what it found and whether it
 * binds. Immutable; start-up replaces it as it learns more.
 *
 * @param mode        {@code premain} (-javaagent) or {@code attach} (loaded into a running JVM)
 * @param startMillis when it started
 * @param config      the config file, or empty
 * @param dryRun      dry-run: nothing is applied
 * @param state       one line: {@code binding}, or why nothing is ({@code starting}, {@code no rules ...})
 * @param nodes       one line per NUMA node: {@code node 0: cpus 0-7, memory 16384 MiB}
 * @param devices     one line per device: {@code device 0: node 1, bus 0000:3b:00.0 (nvidia)}
 * @param rules       one line per rule: {@code gpu-workers: thread "gpu-worker-(\d+)" -> device $1 (config.yaml:12:5)}
 * @param ruleNames   the rules' names in file order (so rules nothing matched yet show zero counts)
 */
public record AgentInfo(String mode, long startMillis, String config, boolean dryRun, String state,
                        List<String> nodes, List<String> devices, List<String> rules, List<String> ruleNames) {
    public static final AgentInfo NONE = new AgentInfo("", 0, "", false, "not started", List.of(), List.of(), List.of(), List.of());

    public AgentInfo {
        nodes = List.copyOf(nodes);
        devices = List.copyOf(devices);
        rules = List.copyOf(rules);
        ruleNames = List.copyOf(ruleNames);
    }

    public static AgentInfo started(boolean dynamic, long startMillis, String config, boolean dryRun) {
        return new AgentInfo(dynamic ? "attach" : "premain", startMillis, config == null ? "" : config,
                dryRun, "starting", List.of(), List.of(), List.of(), List.of());
    }

    public AgentInfo withState(String s) {
        return new AgentInfo(mode, startMillis, config, dryRun, s, nodes, devices, rules, ruleNames);
    }

    public AgentInfo withRules(List<String> descriptions, List<String> names) {
        return new AgentInfo(mode, startMillis, config, dryRun, state, nodes, devices, descriptions, names);
    }

    public AgentInfo withMachine(List<String> nodeLines, List<String> deviceLines) {
        return new AgentInfo(mode, startMillis, config, dryRun, state, nodeLines, deviceLines, rules, ruleNames);
    }
}
