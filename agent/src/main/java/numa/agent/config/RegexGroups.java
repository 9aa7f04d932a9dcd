package numa.agent.config;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What groups a rule's regex has, so that {@code $N} and {@code ${name}} are checked at load. */
final class RegexGroups {
    private RegexGroups() {
    }

    static int count(Pattern regex) {
        return regex.matcher("").groupCount();
    }

    /**
     * True when the regex has a group {@code (?<name>...)}. Java 17 has no API for named groups
     * (Pattern.namedGroups() is public from Java 20), so: prefix an empty alternative, which keeps
     * every group and always matches "", and ask the match for the group; an unknown name throws.
     */
    static boolean hasNamedGroup(Pattern regex, String name) {
        Matcher probe = Pattern.compile("|" + regex.pattern(), regex.flags()).matcher("");
        if (!probe.matches()) {
            return false; // cannot happen: the empty alternative matches ""
        }
        try {
            probe.start(name);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
