package numa.agent.rules;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;

import numa.agent.config.Rule;

/**
 * Finds the first rule (in file order) that names a thread about to start: its name matches the
 * {@code thread} regex (whole name) and its class, or a superclass, the {@code thread-class} glob.
 * Called on every Thread.start: class matches are cached per class, a name costs one regex match
 * per rule.
 */
public final class ThreadRules {
    /** A rule that matched, with the name's match for {@code $N} groups (null for class-only rules). */
    public record Match(Rule rule, Matcher nameMatch) {
    }

    private final Rule[] rules;
    private final ClassValue<boolean[]> classMatches = new ClassValue<>() {
        @Override
        protected boolean[] computeValue(Class<?> type) {
            boolean[] m = new boolean[rules.length];
            for (int i = 0; i < rules.length; i++) {
                m[i] = rules[i].threadClass() == null || classOrSuperMatches(type, rules[i]);
            }
            return m;
        }
    };

    public ThreadRules(List<Rule> all) {
        List<Rule> threadRules = new ArrayList<>();
        for (Rule r : all) {
            if (r.isThreadRule()) {
                threadRules.add(r);
            }
        }
        this.rules = threadRules.toArray(new Rule[0]);
    }

    public boolean isEmpty() {
        return rules.length == 0;
    }

    /** The first rule naming {@code thread}, or null. */
    public Match match(Thread thread) {
        boolean[] byClass = null;
        String name = null;
        for (int i = 0; i < rules.length; i++) {
            Rule r = rules[i];
            if (r.threadClass() != null) {
                if (byClass == null) {
                    byClass = classMatches.get(thread.getClass());
                }
                if (!byClass[i]) {
                    continue;
                }
            }
            Matcher m = null;
            if (r.thread() != null) {
                if (name == null) {
                    name = thread.getName();
                }
                m = r.thread().matcher(name);
                if (!m.matches()) {
                    continue;
                }
            }
            return new Match(r, m);
        }
        return null;
    }

    private static boolean classOrSuperMatches(Class<?> type, Rule rule) {
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            if (rule.threadClass().matcher(nameOf(c)).matches()) {
                return true;
            }
        }
        return false;
    }

    /**
     * The name a glob sees: a hidden class (defineHiddenClass, a lambda's class) is named
     * {@code com.acme.Worker/0x0000000801001400}, a suffix no one can write in a config, so it is
     * matched by the name it was defined with, {@code com.acme.Worker}.
     */
    static String nameOf(Class<?> c) {
        String name = c.getName();
        int slash = c.isHidden() ? name.indexOf('/') : -1;
        return slash < 0 ? name : name.substring(0, slash);
    }
}
