package numa.agent.rules;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import numa.agent.config.MethodPattern;
import numa.agent.config.Rule;

/**
 * The {@code method} rules, in file order, in the form the class-load path needs: each class glob
 * as a regex over the JVM's internal names ({@code com/acme/Server$1}, the form a
 * ClassFileTransformer receives, so no name is converted per class) behind a literal prefix that
 * rejects most classes with one {@code startsWith}. Rule i is bit i of a {@code long} mask: at
 * most {@value #MAX} method rules are used.
 */
public final class MethodRules {
    /** Masks are longs. */
    public static final int MAX = 64;
    private static final List<String> JDK_PACKAGES = List.of("java/", "javax/", "jdk/", "sun/", "com/sun/");

    private final Rule[] rules;
    private final MethodPattern[] patterns;
    private final String[] prefixes;
    private final Pattern[] internalNames;
    private final boolean mayMatchJdk;
    private final int ignored;

    public MethodRules(List<Rule> all) {
        List<Rule> methodRules = new ArrayList<>();
        for (Rule r : all) {
            if (r.method() != null) {
                methodRules.add(r);
            }
        }
        ignored = Math.max(0, methodRules.size() - MAX);
        if (ignored > 0) {
            methodRules = methodRules.subList(0, MAX);
        }
        rules = methodRules.toArray(new Rule[0]);
        patterns = new MethodPattern[rules.length];
        prefixes = new String[rules.length];
        internalNames = new Pattern[rules.length];
        boolean jdk = false;
        for (int i = 0; i < rules.length; i++) {
            patterns[i] = rules[i].methodPattern();
            String glob = patterns[i].classGlob();
            int star = glob.indexOf('*');
            prefixes[i] = (star < 0 ? glob : glob.substring(0, star)).replace('.', '/');
            internalNames[i] = Pattern.compile(internalRegex(glob));
            for (String p : JDK_PACKAGES) {
                jdk |= p.startsWith(prefixes[i]) || prefixes[i].startsWith(p);
            }
        }
        mayMatchJdk = jdk;
    }

    /** A class glob (already validated by the config) as a regex over internal names. */
    static String internalRegex(String glob) {
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            if (c == '*') {
                if (i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
                    regex.append(".*");
                    i++;
                } else {
                    regex.append("[^/]*");
                }
            } else if (c == '.') {
                regex.append('/');
            } else if (c == '$') {
                regex.append("\\$");
            } else {
                regex.append(c);
            }
        }
        return regex.toString();
    }

    public boolean isEmpty() {
        return rules.length == 0;
    }

    public int size() {
        return rules.length;
    }

    /** How many method rules beyond {@link #MAX} are not used. */
    public int ignored() {
        return ignored;
    }

    public Rule rule(int index) {
        return rules[index];
    }

    public MethodPattern pattern(int index) {
        return patterns[index];
    }

    /** True when some rule's class glob could name a JDK class, so JDK classes must be looked at too. */
    public boolean mayMatchJdk() {
        return mayMatchJdk;
    }

    /** True when {@code internalName} is in a JDK package ({@code java/}, {@code jdk/}, ...). */
    public static boolean isJdkName(String internalName) {
        for (String p : JDK_PACKAGES) {
            if (internalName.startsWith(p)) {
                return true;
            }
        }
        return false;
    }

    /** Bit i set when rule i's class glob names the class of that internal name. */
    public long classMask(String internalName) {
        long mask = 0;
        for (int i = 0; i < rules.length; i++) {
            if (internalName.startsWith(prefixes[i]) && internalNames[i].matcher(internalName).matches()) {
                mask |= 1L << i;
            }
        }
        return mask;
    }

    /** True when some rule has {@code bind: children}. */
    public boolean anyChildren() {
        for (Rule r : rules) {
            if (r.bind() == Rule.BindMode.CHILDREN) {
                return true;
            }
        }
        return false;
    }
}
