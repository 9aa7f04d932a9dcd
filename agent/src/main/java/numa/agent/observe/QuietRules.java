package numa.agent.observe;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.slf4j.Logger;

import numa.agent.config.Rule;
import numa.agent.log.AgentLog;

/**
 * Says which rules have bound nothing: a {@code thread} regex that never matches, or a
 * {@code method} rule whose class never loads, would otherwise bind nothing without a word. Said at
 * {@code info} once a few seconds after the hooks are ready (the start-up window: long enough for a
 * server to start its pools), and in a summary at exit; each with what the agent did see: the
 * nearest names of threads that matched no rule ({@link UnmatchedNames}), or how far a method rule
 * got ({@link RuleActivity}). The exit summary also says how many bindings were counted but not
 * logged ({@link BoundLineBudget}).
 *
 * <p>Runs on the agent's own threads only: the beacon thread (the window) and a shutdown hook that
 * reads what is in memory and waits for nothing.
 */
public final class QuietRules {
    /** From the beacon's start (the hooks are ready by then) to the report of quiet rules. */
    public static final long WINDOW_MILLIS = 3000;
    /** Nearest names shown per rule. */
    static final int NEAREST = 3;
    private static final Logger LOG = AgentLog.logger("rules");

    /** Completes with what binding needs once the hooks are installed; null until then. */
    private static volatile CompletableFuture<?> ready;

    private QuietRules() {
    }

    /** The hooks are installed: they bind once {@code binding} completes with a non-null value. */
    public static void watch(CompletableFuture<?> binding) {
        ready = binding;
    }

    /** True once the hooks are installed and can bind: before that, or when they cannot, every rule is quiet for that reason alone. */
    static boolean binding() {
        CompletableFuture<?> r = ready;
        return r != null && r.isDone() && !r.isCompletedExceptionally() && r.getNow(null) != null;
    }

    /**
     * The beacon thread's part: {@link #tick()} while it polls for the MBean server, then
     * {@link #awaitEnd()}; the report is made once, when the window has passed.
     */
    public static final class Window {
        private final List<Rule> rules;
        private final long deadline;
        private boolean done;

        public Window(List<Rule> rules) {
            this.rules = rules;
            this.deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WINDOW_MILLIS);
        }

        /** Reports if the window has passed and it has not yet. */
        public void tick() {
            if (!done && System.nanoTime() - deadline >= 0) {
                done = true;
                log(lines(rules, false));
            }
        }

        /** Parks until the window has passed, then reports (if not done yet). */
        public void awaitEnd() {
            long left;
            while (!done && (left = deadline - System.nanoTime()) > 0) {
                LockSupport.parkNanos(this, left);
                if (Thread.currentThread().isInterrupted()) {
                    return;
                }
            }
            tick();
        }
    }

    /** The shutdown hook's body: the quiet rules and the bindings not logged, then nothing more. */
    public static final class AtExit implements Runnable {
        private final List<Rule> rules;

        public AtExit(List<Rule> rules) {
            this.rules = rules;
        }

        @Override
        public void run() {
            try {
                log(lines(rules, true));
                for (Map.Entry<String, Long> e : BoundLineBudget.overBudget().entrySet()) {
                    LOG.info("at exit: rule {} bound {} threads in this run; {} of them were counted, not logged one by one",
                            e.getKey(), e.getValue(), e.getValue() - BoundLineBudget.PER_RULE);
                }
            } catch (Throwable t) {
                // the JVM is exiting: nothing to do about it
            }
        }
    }

    private static void log(List<String> lines) {
        for (String line : lines) {
            LOG.info("{}", line);
        }
    }

    /**
     * One line per rule that has matched nothing, with what the agent saw instead; none when the
     * hooks cannot bind (that was said at start).
     */
    static List<String> lines(List<Rule> rules, boolean atExit) {
        List<String> out = new ArrayList<>();
        if (!binding()) {
            return out;
        }
        List<String> names = null;
        for (Rule r : rules) {
            if (RuleActivity.hasMatched(r.name())) {
                continue;
            }
            String head = (atExit ? "at exit: rule " : "rule ") + r.name() + " (" + r.position() + ") "
                    + (atExit ? "bound nothing in this run: " : "has bound nothing yet: ");
            if (r.thread() != null) {
                if (names == null) {
                    names = UnmatchedNames.sample();
                }
                out.add(head + "no thread name matched its thread regex '" + r.thread().pattern() + "'"
                        + (r.threadClassGlob() == null ? "" : " (and thread-class " + r.threadClassGlob() + ")")
                        + seen(r.thread().pattern(), names));
            } else if (r.threadClassGlob() != null) {
                out.add(head + "no thread of a class matching thread-class " + r.threadClassGlob() + " has started");
            } else if (r.method() != null) {
                String method = RuleActivity.instrumentedMethod(r.name());
                out.add(head + (method == null
                        ? "no class loaded" + (atExit ? "" : " yet") + " has the method " + r.method()
                        + " (its class was not loaded, or the class or method name differs; `numa-agent check CONFIG"
                        + " --classpath CP` tells which classes of the application match)"
                        : method + " was loaded and instrumented, but has not been called"));
            } else if (r.process() != null) {
                out.add(head + "no process started whose command line matches '" + r.process().pattern() + "'");
            }
        }
        return out;
    }

    /** {@code "; nearest thread names seen: 'a', 'b'"}, or that none started. */
    private static String seen(String regex, List<String> names) {
        if (names.isEmpty()) {
            return "; no thread that matches no rule has started since the agent's hooks were installed";
        }
        List<String> nearest = nearest(regex, names, NEAREST);
        StringBuilder sb = new StringBuilder("; nearest thread names seen: ");
        for (int i = 0; i < nearest.size(); i++) {
            sb.append(i == 0 ? "'" : ", '").append(nearest.get(i)).append('\'');
        }
        sb.append(" (of ").append(UnmatchedNames.overflowed() ? "more than " : "").append(names.size())
                .append(" distinct names that matched no rule; log-level=debug lists each)");
        return sb.toString();
    }

    /**
     * The {@code n} names nearest to what {@code regex} spells literally: fewest edits to the
     * literal over as many characters of the name, then longest shared prefix, then fewest edits
     * over the whole name.
     */
    static List<String> nearest(String regex, List<String> names, int n) {
        String literal = literalPart(regex);
        List<String> sorted = new ArrayList<>(names);
        sorted.sort(Comparator.<String>comparingInt(s -> distance(literal, s.substring(0, Math.min(s.length(), literal.length()))))
                .thenComparingInt(s -> -sharedPrefix(literal, s))
                .thenComparingInt(s -> distance(literal, s))
                .thenComparing(Comparator.naturalOrder()));
        return sorted.subList(0, Math.min(n, sorted.size()));
    }

    /**
     * What a regex spells letter for letter, its operators, classes and escapes left out:
     * {@code gpu-worker-(\d+)} gives {@code gpu-worker-}; an escaped character stands for itself.
     */
    static String literalPart(String regex) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < regex.length(); i++) {
            char c = regex.charAt(i);
            if (c == '\\' && i + 1 < regex.length()) {
                char next = regex.charAt(++i);
                if (!Character.isLetterOrDigit(next)) {
                    sb.append(next); // \. \- \\ : the character itself
                }
            } else if (c == '[') {
                while (i + 1 < regex.length() && regex.charAt(i + 1) != ']') {
                    i++;
                }
                i++;
            } else if (c == '{') {
                while (i + 1 < regex.length() && regex.charAt(i + 1) != '}') {
                    i++;
                }
                i++;
            } else if ("()*+?|^$.".indexOf(c) < 0) {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    private static int sharedPrefix(String a, String b) {
        int i = 0;
        while (i < a.length() && i < b.length() && a.charAt(i) == b.charAt(i)) {
            i++;
        }
        return i;
    }

    /** Edit distance (insertions, deletions, substitutions). */
    static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(prev[j] + 1, cur[j - 1] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
