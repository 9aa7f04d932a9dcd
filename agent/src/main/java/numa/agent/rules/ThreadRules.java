package numa.agent.rules;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;

import numa.agent.config.BoundedMatch;
import numa.agent.config.Rule;
import numa.agent.log.AgentLog;
import org.slf4j.Logger;

/**
 * Finds the first rule (in file order) that names a thread about to start: its name matches the
 * {@code thread} regex (whole name) and its class, or a superclass, the {@code thread-class} glob.
 * Called on every Thread.start: class matches are cached per class, a name costs one regex match
 * per rule.
 */
public final class ThreadRules {
    private static final Logger LOG = AgentLog.logger("rules");

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
                m = matchName(r, name);
                if (m == null) {
                    continue;
                }
            }
            return new Match(r, m);
        }
        return null;
    }

    /** The name's match, or null: also when the regex would take too long to tell (warned once per rule). */
    private static Matcher matchName(Rule r, String name) {
        try {
            return BoundedMatch.whole(r.thread(), name);
        } catch (BoundedMatch.TooCostly e) {
            AgentLog.warnOnce(LOG, "regex-cost:thread:" + r.name(), "rule {} ({}): its thread regex '{}' {} on thread"
                    + " name '{}'; such threads are taken as not matching it. Rewrite it so that its parts cannot"
                    + " match the same text in many ways (e.g. [^-]*- rather than .*-)", r.name(), r.position(),
                    r.thread().pattern(), e.getMessage(), abbreviated(name));
            return null;
        }
    }

    private static boolean classOrSuperMatches(Class<?> type, Rule rule) {
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            try {
                if (BoundedMatch.whole(rule.threadClass(), nameOf(c)) != null) {
                    return true;
                }
            } catch (BoundedMatch.TooCostly e) {
                AgentLog.warnOnce(LOG, "regex-cost:thread-class:" + rule.name(), "rule {} ({}): its thread-class glob '{}'"
                        + " {} on class {}; taken as not matching", rule.name(), rule.position(), rule.threadClassGlob(),
                        e.getMessage(), c.getName());
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

    /** A name for a log line: a hostile one can be megabytes long. */
    static String abbreviated(String s) {
        return s.length() <= 200 ? s : s.substring(0, 200) + "... (" + s.length() + " characters)";
    }
}
