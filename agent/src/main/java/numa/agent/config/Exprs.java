package numa.agent.config;

import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses {@code device} and {@code node} expressions (SPEC.md "Device and node expressions"):
 * <ul>
 *   <li>{@code 3}: that number;</li>
 *   <li>{@code $1}, {@code ${gpu}}: a group of the rule's regex ({@code ${1}} is {@code $1});</li>
 *   <li>{@code arg0.device.index}, {@code this.index}: a value of the intercepted call, each step a
 *       method {@code prop()} or {@code getProp()} or a field {@code prop};</li>
 *   <li>{@code env:NAME}, {@code prop:NAME}: an environment variable, a system property;</li>
 *   <li>{@code round-robin}: the rule's next device, or node, in turn.</li>
 * </ul>
 * Everything that can be checked before the application runs is checked here: the syntax, and that
 * each group exists in the regex.
 */
public final class Exprs {
    static final String FORMS = "an integer, $N, ${name}, argN or this followed by .prop steps, env:NAME, prop:NAME"
            + " or round-robin";

    /** Steps of an argN/this path at most: a getter chain longer than this is a mistake, not a design. */
    static final int MAX_PATH_STEPS = 64;
    private static final Pattern INTEGER = Pattern.compile("[+-]?[0-9]+");
    private static final Pattern GROUP_NUMBER = Pattern.compile("\\$(?:([0-9]+)|\\{([0-9]+)})");
    private static final Pattern GROUP_NAME = Pattern.compile("\\$\\{([a-zA-Z][a-zA-Z0-9]*)}");
    private static final Pattern LOOKUP = Pattern.compile("(env|prop):(.*)", Pattern.DOTALL);
    private static final Pattern PATH = Pattern.compile(
            "(?:arg([0-9]+)|this)((?:\\.\\p{javaJavaIdentifierStart}\\p{javaJavaIdentifierPart}*)*)");
    private static final Pattern PATH_ROOT = Pattern.compile("(arg[0-9]*|this)(\\..*)?", Pattern.DOTALL);

    private Exprs() {
    }

    /**
     * Parses an expression.
     *
     * @param text     as written (a YAML integer given as its text)
     * @param position where it was written, for errors
     * @param regex    the rule's regex, whose groups {@code $N} and {@code ${name}} may name; null
     *                 where there is none (then a group is an error)
     * @throws ConfigException when it is not one of the forms above, or names a group the regex lacks
     */
    public static Expr parse(String text, Position position, Pattern regex) throws ConfigException {
        return parse("expression", text, position, regex);
    }

    /** Same, with {@code label} naming the value in messages ({@code device in rule 'gpu-workers'}). */
    static Expr parse(String label, String text, Position position, Pattern regex) throws ConfigException {
        String s = text.strip();
        if (s.isEmpty()) {
            throw new ConfigException(position, label + " is empty (expected: " + FORMS + ")");
        }
        Matcher m;
        if ((m = INTEGER.matcher(s)).matches()) {
            Integers.Result result = Integers.parse(s.startsWith("+") ? s.substring(1) : s);
            if (!result.ok()) {
                throw new ConfigException(position, label + ": " + s + " " + result.whyNot()
                        + (result.whyNot().equals("is negative") ? " (device and node numbers start at 0)" : ""));
            }
            return new LiteralExpr(s, result.value());
        }
        if ((m = GROUP_NUMBER.matcher(s)).matches()) {
            return numberedGroup(label, s, m.group(1) != null ? m.group(1) : m.group(2), position, regex);
        }
        if ((m = GROUP_NAME.matcher(s)).matches()) {
            return namedGroup(label, s, m.group(1), position, regex);
        }
        if (s.startsWith("$")) {
            throw new ConfigException(position, label + ": '" + s + "' is not a group reference (expected $N, or ${name}"
                    + " with a name of letters and digits)");
        }
        if ((m = LOOKUP.matcher(s)).matches()) {
            return lookup(label, s, m.group(1).equals("env"), m.group(2), position);
        }
        if (s.equals("round-robin")) {
            return new RoundRobinExpr(s);
        }
        if (PATH_ROOT.matcher(s).matches() && s.chars().filter(c -> c == '.').count() > MAX_PATH_STEPS) {
            // the path regex recurses once per step: thousands of steps overflow the stack (check died of it)
            throw new ConfigException(position, label + ": the path '" + s.substring(0, 40) + "...' has "
                    + s.chars().filter(c -> c == '.').count() + " steps; at most " + MAX_PATH_STEPS + " are allowed");
        }
        if ((m = PATH.matcher(s)).matches()) {
            int argument = m.group(1) == null ? PathExpr.THIS : argumentIndex(label, s, m.group(1), position);
            List<String> steps = m.group(2).isEmpty() ? List.of() : Arrays.asList(m.group(2).substring(1).split("\\."));
            return new PathExpr(s, argument, steps);
        }
        if (PATH_ROOT.matcher(s).matches()) {
            throw new ConfigException(position, label + ": '" + s + "' is not a valid path (expected argN or this,"
                    + " then .name steps with Java names, e.g. arg0.index)");
        }
        throw new ConfigException(position, label + ": '" + s + "' is not an expression (expected: " + FORMS + ")"
                + Suggestions.didYouMean(s, List.of("round-robin")));
    }

    private static Expr numberedGroup(String label, String text, String digits, Position position, Pattern regex)
            throws ConfigException {
        Integers.Result number = Integers.parse(digits);
        if (regex == null) {
            throw noRegex(label, text, position);
        }
        int groups = RegexGroups.count(regex);
        if (!number.ok() || number.value() > groups) {
            throw new ConfigException(position, label + ": " + text + " refers to group " + digits + ", but the regex \""
                    + regex.pattern() + "\" has " + (groups == 0 ? "no groups" : groups == 1 ? "only 1 group"
                    : "only " + groups + " groups"));
        }
        return GroupExpr.numbered(text, number.value());
    }

    private static Expr namedGroup(String label, String text, String name, Position position, Pattern regex)
            throws ConfigException {
        if (regex == null) {
            throw noRegex(label, text, position);
        }
        if (!RegexGroups.hasNamedGroup(regex, name)) {
            throw new ConfigException(position, label + ": " + text + " refers to a group named '" + name
                    + "', but the regex \"" + regex.pattern() + "\" has none (name a group like this: (?<" + name + ">\\d+))");
        }
        return GroupExpr.named(text, name);
    }

    private static ConfigException noRegex(String label, String text, Position position) {
        return new ConfigException(position, label + ": " + text
                + " refers to a group of the rule's regex, but there is no thread or process regex here");
    }

    private static Expr lookup(String label, String text, boolean environment, String name, Position position)
            throws ConfigException {
        String kind = environment ? "env" : "prop";
        if (name.isEmpty() || !name.equals(name.strip()) || name.chars().anyMatch(c -> Character.isWhitespace(c)
                || Character.isISOControl(c) || environment && c == '=')) {
            throw new ConfigException(position, label + ": '" + text + "' needs a " + (environment
                    ? "variable" : "property") + " name without blanks after '" + kind + ":' (e.g. "
                    + (environment ? "env:GPU_INDEX" : "prop:gpu.index") + ")");
        }
        return new LookupExpr(text, environment, name);
    }

    private static int argumentIndex(String label, String text, String digits, Position position) throws ConfigException {
        Integers.Result index = Integers.parse(digits);
        if (!index.ok() || index.value() > 254) { // a JVM method has at most 255 parameter slots
            throw new ConfigException(position, label + ": '" + text + "': no method has an argument " + digits);
        }
        return index.value();
    }
}
