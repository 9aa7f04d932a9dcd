package numa.agent.config;

import org.snakeyaml.engine.v2.nodes.ScalarNode;

/**
 * Spots a regex that was escaped for the wrong kind of YAML string. {@code thread: 'gpu-(\\d+)'} is
 * valid YAML and a valid regex, but single quotes (and plain text) keep backslashes as written, so
 * the regex is a literal backslash followed by {@code d}: it never matches a thread name, and
 * nothing else says so. Thread names and command lines practically never hold a backslash, so two
 * backslashes before a character class or a dot are taken for this mistake and warned about.
 */
final class EscapeMistakes {
    /** Characters that follow a backslash in a regex escape people mean: \d, \w, \s, \b, \p{..}, \. */
    private static final String ESCAPED = "dDwWsShHvVbBpP.";

    private EscapeMistakes() {
    }

    /**
     * The warning for {@code scalar}, a regex as the config gives it, or null when it looks intended.
     *
     * @param label what the value is, for the message ({@code thread in rule gpu-workers})
     */
    static String check(ScalarNode scalar, String label) {
        String regex = scalar.getValue();
        int at = doubledEscape(regex);
        if (at < 0) {
            return null;
        }
        String meant = undoubled(regex);
        String written = switch (scalar.getScalarStyle()) {
            case SINGLE_QUOTED -> "in single quotes YAML keeps every backslash as written";
            case PLAIN -> "unquoted, YAML keeps every backslash as written";
            case DOUBLE_QUOTED -> "in double quotes \\\\ is one backslash, so \\\\\\\\ is two";
            default -> "in a block scalar YAML keeps every backslash as written";
        };
        return label + ": the regex has \\\\" + regex.charAt(at + 2) + ", a literal backslash followed by '"
                + regex.charAt(at + 2) + "' (" + written + "), which thread names and command lines do not contain,"
                + " so it likely never matches; if you meant \\" + regex.charAt(at + 2) + ", write "
                + singleQuoted(meant) + " (single quotes) or " + doubleQuoted(meant) + " (double quotes)";
    }

    /** The index of the first {@code \\} followed by one of {@link #ESCAPED}, or -1. */
    static int doubledEscape(String regex) {
        for (int i = 0; i + 2 < regex.length(); i++) {
            if (regex.charAt(i) == '\\') {
                if (regex.charAt(i + 1) == '\\' && ESCAPED.indexOf(regex.charAt(i + 2)) >= 0) {
                    return i;
                }
                i++; // an escape pair: its second character starts nothing
            }
        }
        return -1;
    }

    /** {@code regex} with each such doubled backslash made single: what was most likely meant. */
    private static String undoubled(String regex) {
        StringBuilder sb = new StringBuilder(regex.length());
        for (int i = 0; i < regex.length(); i++) {
            char c = regex.charAt(i);
            if (c == '\\' && i + 2 < regex.length() && regex.charAt(i + 1) == '\\'
                    && ESCAPED.indexOf(regex.charAt(i + 2)) >= 0) {
                continue; // drop one of the two
            }
            sb.append(c);
            if (c == '\\' && i + 1 < regex.length()) {
                sb.append(regex.charAt(++i));
            }
        }
        return sb.toString();
    }

    private static String singleQuoted(String s) {
        return "'" + s.replace("'", "''") + "'";
    }

    private static String doubleQuoted(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
