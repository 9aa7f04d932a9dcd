package numa.agent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Regex matching with a bounded cost. The timeouts are hang guards only: without the bound, the
 * catastrophic cases below take some 40^12 steps (days), with it a few million characters read.
 * (JDK 9+ memoizes a greedy repeated group, so the textbook {@code (a+)+$} is fast on JDK 17 and 25;
 * a counted repeat of a group, {@code (.*a){12}}, and a chain of {@code .*} are not.)
 */
class BoundedMatchTest {
    private static final Duration HANG = Duration.ofSeconds(60);

    @Test
    void saneRegexesMatchAsUsualWithTheirGroups() throws Exception {
        Matcher m = BoundedMatch.whole(Pattern.compile("decode-(?<replica>\\d+)-gpu-(\\d+)"), "decode-3-gpu-7");
        assertThat(m).isNotNull();
        assertThat(m.group("replica")).isEqualTo("3");
        assertThat(m.group(2)).isEqualTo("7");
        assertThat(m.group()).isEqualTo("decode-3-gpu-7");
        assertThat(BoundedMatch.whole(Pattern.compile("gpu-\\d+"), "gpu-1x")).isNull();
        assertThat(BoundedMatch.whole(Pattern.compile("(.*a){12}"), "a".repeat(12))).isNotNull(); // harmless when it matches
    }

    @Test
    void nestedQuantifierOnANonMatchingNameGivesUpInsteadOfHanging() {
        String name = "a".repeat(40) + "!";
        BoundedMatch.TooCostly e = assertTimeoutPreemptively(HANG,
                () -> catchThrowableOfType(BoundedMatch.TooCostly.class,
                        () -> BoundedMatch.whole(Pattern.compile("(.*a){12}"), name)));
        assertThat(e).isNotNull();
        assertThat(e.getMessage()).startsWith("gave up after reading 1008200 characters of a 41-character input"
                + " (catastrophic backtracking");
    }

    @Test
    void chainOfWildcardsIsBoundedToo() {
        // a plausible rule: four dashes anywhere, then "worker"; a long name of dashes costs n^5
        String name = "-".repeat(300);
        assertThat(assertTimeoutPreemptively(HANG, () -> catchThrowableOfType(BoundedMatch.TooCostly.class,
                () -> BoundedMatch.whole(Pattern.compile(".*-.*-.*-.*-.*worker"), name)))).isNotNull();
        // a class glob with many stars backtracks polynomially: bounded as well
        Pattern glob = Glob.compile("*a*a*a*a*a*a*a*a*a*a*a*aX");
        assertThat(assertTimeoutPreemptively(HANG, () -> catchThrowableOfType(BoundedMatch.TooCostly.class,
                () -> BoundedMatch.whole(glob, "a".repeat(200))))).isNotNull();
    }

    @Test
    void repetitionThatWouldOverflowTheStackIsAnswerNotACrash() {
        String long100k = "ab".repeat(100_000);
        BoundedMatch.TooCostly e = catchThrowableOfType(BoundedMatch.TooCostly.class,
                () -> BoundedMatch.whole(Pattern.compile("(a|b)*"), long100k));
        assertThat(e).isNotNull();
        assertThat(e.getMessage()).startsWith("ran out of stack on a 200000-character input");
    }

    @Test
    void longCommandLinesStayWithinTheBudgetOfReasonableRegexes() throws Exception {
        // a JVM's command line with a long class path, as process rules see it
        String commandLine = "java -cp " + "/opt/lib/some-library-1.2.3.jar:".repeat(3_000)
                + " com.acme.Main --spawn-worker --device=3 --port 9000";
        Matcher m = BoundedMatch.whole(Pattern.compile(".*--spawn-worker --device=(\\d+).*"), commandLine);
        assertThat(m).isNotNull();
        assertThat(m.group(1)).isEqualTo("3");
        assertThat(BoundedMatch.whole(Pattern.compile(".*--device=(\\d+) --missing.*"), commandLine)).isNull();
    }
}
