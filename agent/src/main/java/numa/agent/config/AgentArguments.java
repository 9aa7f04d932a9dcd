package numa.agent.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Splits the {@code -javaagent:numa-agent.jar=ARG} argument into keys and values. ARG is empty, a
 * bare config path ({@code config.yaml}), or {@code key=value} pairs separated by commas
 * ({@code config=config.yaml,dry-run=true}). An ARG with no {@code =} is always a path, so a path
 * may hold commas; with pairs, a value may hold {@code =} but not a comma.
 */
final class AgentArguments {
    private AgentArguments() {
    }

    /**
     * @param keys the keys allowed
     * @throws ConfigException for an unknown or repeated key, or a pair without '=' (no position)
     */
    static Map<String, String> parse(String argument, List<String> keys) throws ConfigException {
        Map<String, String> values = new LinkedHashMap<>();
        if (argument == null || argument.isBlank()) {
            return values;
        }
        if (argument.indexOf('=') < 0) {
            values.put("config", argument.strip());
            return values;
        }
        Problems problems = new Problems();
        for (String pair : argument.split(",")) {
            if (pair.isBlank()) {
                continue; // a trailing or doubled comma
            }
            int eq = pair.indexOf('=');
            if (eq < 0) {
                problems.add(null, "agent argument: '" + pair.strip() + "' has no value (write key=value, e.g. "
                        + "dry-run=true; expected keys: " + String.join(", ", keys) + ")");
                continue;
            }
            String key = pair.substring(0, eq).strip();
            String value = pair.substring(eq + 1).strip();
            if (!keys.contains(key)) {
                problems.add(null, "agent argument: unknown key '" + key + "' (expected: " + String.join(", ", keys) + ")"
                        + Suggestions.didYouMean(key, keys));
            } else if (values.putIfAbsent(key, value) != null) {
                problems.add(null, "agent argument: " + key + " is given twice");
            }
        }
        problems.throwIfAny();
        return values;
    }
}
