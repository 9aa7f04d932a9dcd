package numa.agent.startup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * Whether a config can be read after premain, on the agent's background thread. It cannot when
 * something must happen before {@code main}:
 * <ul>
 * <li>a {@code process} section or rule: the whole JVM is bound, and ProcessBuilder rewritten,
 * before the application runs;</li>
 * <li>a {@code method} rule: its classes must be instrumented as they load, not retransformed
 * later;</li>
 * <li>{@code on-error: fail}: an impossible binding stops the JVM before {@code main}.</li>
 * </ul>
 * Decided on the raw text, without parsing (parsing is what is deferred), and on the safe side:
 * any occurrence of these keys, even in a comment, keeps the start-up as it was; so does every
 * {@code on-error} not plainly followed by {@code warn} (a value on the next line, an alias, a
 * tag), and any escape sequence that could spell a key (backslash and x, u or U). A
 * wrong guess is only slower, never wrong: a deferred config is applied in the background, as an
 * attach would, and never stops the JVM there (main runs by then). A file that cannot be read is
 * read at premain, where its error is reported.
 */
final class DeferrableConfig {
    private static final Pattern NEEDS_PREMAIN = Pattern.compile("\\b(?:process|method)\\b[\"']?\\s*:",
            Pattern.CASE_INSENSITIVE);
    /** {@code on-error: fail}, block or flow style, key quoted or not; not in a comment. */
    private static final Pattern ON_ERROR_FAIL = Pattern.compile("(?m)^[^#\\n]*\\bon-error\\b[\"']?\\s*:\\s*[\"']?fail\\b",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern ON_ERROR = Pattern.compile("on-error", Pattern.CASE_INSENSITIVE);
    /** {@code on-error: warn} as plainly as it can be written: the only mention a deferred config may make. */
    private static final Pattern ON_ERROR_WARN = Pattern.compile("on-error[\"']?[ \t]*:[ \t]*[\"']?warn\\b",
            Pattern.CASE_INSENSITIVE);
    /** YAML escapes that can spell a key in double quotes (backslash and x, u or U: "on" x2d "error"). */
    private static final Pattern SPELLING_ESCAPE = Pattern.compile("\\\\[xuU]");
    /** Larger files are unusual; they are read at premain rather than twice. */
    private static final long MAX_SCANNED = 256 * 1024;

    private DeferrableConfig() {
    }

    /** {@link #allows(Path)} as the {@link StartupPlan} asks it (a class, not a method reference: premain). */
    static final java.util.function.Predicate<Path> FILES = new java.util.function.Predicate<>() {
        @Override
        public boolean test(Path config) {
            return allows(config);
        }
    };

    static boolean allows(Path config) {
        try {
            // a FIFO or device would block or never end here: those are left to the loader's checks
            if (!Files.isRegularFile(config) || Files.size(config) > MAX_SCANNED) {
                return false;
            }
            return allows(Files.readString(config));
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    static boolean allows(String text) {
        return !NEEDS_PREMAIN.matcher(text).find() && !asksToFail(text) && onlyPlainWarn(text)
                && !SPELLING_ESCAPE.matcher(text).find();
    }

    /** Every mention of on-error is {@code on-error: warn} on one line. */
    private static boolean onlyPlainWarn(String text) {
        int mentions = 0;
        for (java.util.regex.Matcher m = ON_ERROR.matcher(text); m.find(); ) {
            mentions++;
        }
        int plain = 0;
        for (java.util.regex.Matcher m = ON_ERROR_WARN.matcher(text); m.find(); ) {
            plain++;
        }
        return mentions == plain;
    }

    /**
     * Whether the raw text asks for {@code on-error: fail}: also what decides, for a file that does
     * not parse, whether its error stops the JVM.
     */
    static boolean asksToFail(String text) {
        return ON_ERROR_FAIL.matcher(text).find();
    }
}
