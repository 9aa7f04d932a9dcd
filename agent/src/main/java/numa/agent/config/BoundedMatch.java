package numa.agent.config;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Whole-input regex matching with a bound on its cost. Rules run on every Thread.start and
 * ProcessBuilder.start of the application: a regex that backtracks catastrophically, such as
 * {@code (a+)+$} against a thread named {@code aaaa...a!}, would take 2^n steps and hang the
 * application's own {@code start()} (JDK 9+ memoizes a greedy repeated group, so the textbook case
 * is fast there; a counted repeat such as {@code (.*a){12}} or a chain such as {@code .*-.*-.*-.*x}
 * against a long name still takes n^12 or n^4 steps). java.util.regex has no time limit, but it reads its input
 * only through {@link CharSequence#charAt}: the input is given to it behind a counter that stops
 * the match once it has read more characters than any sane regex needs.
 *
 * <p>Why not reject such regexes at load: "nested quantifiers" is a heuristic that both misses
 * cases ({@code (a|a)*}, {@code .*a.*a.*a...}) and refuses harmless ones ({@code (worker-\d+)+});
 * the count bounds every pattern, globs included, whatever its shape.
 */
public final class BoundedMatch {
    /**
     * Characters a match may read: a fixed floor plus a multiple of the input's length. A thread name
     * against a rule reads tens to hundreds; {@code .*--device=(\d+).*} on a 100 KB command line
     * (a long class path) some 300,000; {@code (.*a){12}} on 40 a's and a '!' some 40^12.
     */
    static final long FLOOR = 1_000_000;
    static final long PER_CHARACTER = 200;

    /** The match ran past its budget (or past the stack): treat it as no match, and say so. */
    public static final class TooCostly extends Exception {
        private static final long serialVersionUID = 1L;

        TooCostly(String message) {
            super(message, null, false, false);
        }
    }

    /** Thrown out of the regex engine from {@code charAt}; never leaves this class. */
    private static final class OutOfSteps extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private static final OutOfSteps INSTANCE = new OutOfSteps();

        private OutOfSteps() {
            super(null, null, false, false);
        }
    }

    private BoundedMatch() {
    }

    /**
     * The match when {@code regex} matches the whole {@code input}, else null; its groups work as
     * usual.
     *
     * @throws TooCostly when finding out would read more than the budget for this input
     */
    public static Matcher whole(Pattern regex, String input) throws TooCostly {
        return whole(regex, input, budgetFor(input));
    }

    static long budgetFor(String input) {
        return FLOOR + PER_CHARACTER * input.length();
    }

    static Matcher whole(Pattern regex, String input, long budget) throws TooCostly {
        Matcher m = regex.matcher(new CountedChars(input, budget));
        try {
            return m.matches() ? m : null;
        } catch (OutOfSteps e) {
            throw new TooCostly("gave up after reading " + budget + " characters of a " + input.length()
                    + "-character input (catastrophic backtracking: parts that can match the same text in many"
                    + " ways, such as (.*a){12} or .*-.*-.*-x)");
        } catch (StackOverflowError e) {
            // each repetition of a group is a level of recursion in java.util.regex: a long input overflows
            throw new TooCostly("ran out of stack on a " + input.length() + "-character input (a repeated group,"
                    + " such as (a|b)*, recurses once per repetition; a character class, [ab]*, does not)");
        }
    }

    /** The input, counting the characters the regex engine reads. */
    private static final class CountedChars implements CharSequence {
        private final String text;
        private long left;

        CountedChars(String text, long budget) {
            this.text = text;
            this.left = budget;
        }

        @Override
        public char charAt(int index) {
            if (--left < 0) {
                throw OutOfSteps.INSTANCE;
            }
            return text.charAt(index);
        }

        @Override
        public int length() {
            return text.length();
        }

        /** Groups are cut from here after the match: not counted. */
        @Override
        public CharSequence subSequence(int start, int end) {
            return text.subSequence(start, end);
        }

        @Override
        public String toString() {
            return text;
        }
    }
}
