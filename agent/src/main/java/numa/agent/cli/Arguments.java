package numa.agent.cli;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The words after a verb, split into options and operands by what the verb accepts: flags
 * ({@code --json}), options with a value ({@code --sysfs DIR} or {@code --sysfs=DIR}) and
 * operands ({@code CONFIG}). Options may come before or after operands; {@code --} ends them.
 * Anything the verb does not accept is a {@link UsageException} that names it and lists what is
 * accepted, since a silently ignored option is a wrong answer the user cannot see.
 */
final class Arguments {
    /** Accepted everywhere, so that {@code topology --help} shows the usage instead of an error. */
    static final String HELP = "--help";

    private final Set<String> flags;
    private final Map<String, String> values;
    private final List<String> operands;

    private Arguments(Set<String> flags, Map<String, String> values, List<String> operands) {
        this.flags = flags;
        this.values = values;
        this.operands = operands;
    }

    /**
     * @param words        the words after the verb
     * @param flagNames    flags the verb accepts, e.g. {@code --json}
     * @param valueOptions options with a value, each mapped to the value's name for messages
     *                     ({@code --sysfs} -> {@code DIR})
     * @param maxOperands  how many operands the verb takes at most
     */
    static Arguments parse(List<String> words, Set<String> flagNames, Map<String, String> valueOptions, int maxOperands)
            throws UsageException {
        Set<String> flags = new HashSet<>();
        Map<String, String> values = new LinkedHashMap<>();
        List<String> operands = new ArrayList<>();
        boolean optionsEnded = false;
        for (int i = 0; i < words.size(); i++) {
            String word = words.get(i);
            if (optionsEnded || !word.startsWith("-") || word.equals("-")) {
                operands.add(word);
                continue;
            }
            if (word.equals("--")) {
                optionsEnded = true;
                continue;
            }
            if (word.equals(HELP) || word.equals("-h")) {
                flags.add(HELP);
                continue;
            }
            int eq = word.indexOf('=');
            String name = eq < 0 ? word : word.substring(0, eq);
            if (valueOptions.containsKey(name)) {
                String value;
                if (eq >= 0) {
                    value = word.substring(eq + 1);
                } else if (i + 1 < words.size()) {
                    value = words.get(++i);
                } else {
                    throw new UsageException(name + " needs a value: " + name + " " + valueOptions.get(name));
                }
                if (value.isEmpty()) {
                    throw new UsageException(name + " needs a value: " + name + " " + valueOptions.get(name));
                }
                if (values.put(name, value) != null) {
                    throw new UsageException(name + " is given twice; give it once");
                }
            } else if (flagNames.contains(name)) {
                if (eq >= 0) {
                    throw new UsageException(name + " takes no value (found '" + word + "')");
                }
                flags.add(name);
            } else {
                throw new UsageException("unknown option '" + word + "' (" + accepted(flagNames, valueOptions) + ")");
            }
        }
        if (operands.size() > maxOperands && !flags.contains(HELP)) {
            throw new UsageException("unexpected argument '" + operands.get(maxOperands) + "'"
                    + (maxOperands == 0 ? " (this command takes options only)" : ""));
        }
        return new Arguments(flags, values, operands);
    }

    private static String accepted(Set<String> flagNames, Map<String, String> valueOptions) {
        List<String> all = new ArrayList<>();
        valueOptions.forEach((name, value) -> all.add(name + " " + value));
        flagNames.stream().sorted().forEach(all::add);
        all.add(HELP);
        return "expected: " + String.join(", ", all);
    }

    boolean flag(String name) {
        return flags.contains(name);
    }

    Optional<String> value(String name) {
        return Optional.ofNullable(values.get(name));
    }

    /** How many operands were given. */
    int operandCount() {
        return operands.size();
    }

    /**
     * Operand {@code index}, which the verb requires.
     *
     * @param name as the usage writes it, e.g. {@code CONFIG}
     */
    String operand(int index, String name) throws UsageException {
        if (index >= operands.size()) {
            throw new UsageException("missing " + name);
        }
        return operands.get(index);
    }
}
