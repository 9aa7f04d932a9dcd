package numa.agent.config;

import java.util.List;
import java.util.Optional;

/**
 * A validated config file (see SPEC.md "Config file"). Built only by {@link ConfigLoader}.
 *
 * @param source   the file name as messages should show it, or {@code <none>}
 * @param sysfs    {@code topology.sysfs}, or null when the file does not set it
 * @param devices  the {@code devices} section (defaults filled in)
 * @param binding  the {@code binding} section (defaults filled in)
 * @param process  the {@code process} section, when present
 * @param rules    the {@code rules}, in file order
 */
public record AgentConfig(String source, String sysfs, DevicesConfig devices, BindingConfig binding,
                          Optional<ProcessSection> process, List<Rule> rules) {
    public AgentConfig {
        rules = List.copyOf(rules);
    }

    /** No file: defaults, no rules. */
    public static AgentConfig empty() {
        return new AgentConfig("<none>", null, DevicesConfig.defaults(), BindingConfig.defaults(), Optional.empty(), List.of());
    }
}
