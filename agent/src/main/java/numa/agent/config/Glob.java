package numa.agent.config;

import java.util.regex.Pattern;

/**
 * Class-name globs ({@code thread-class}, the class part of {@code method}), matched against a
 * binary class name as {@link Class#getName()} gives it ({@code com.acme.Outer$Inner}).
 *
 * <ul>
 *   <li>{@code *} is any run of characters but {@code .} (so it spans {@code $} of nested classes):
 *       {@code com.acme.*Worker} matches {@code com.acme.GpuWorker} and {@code com.acme.Pool$Worker},
 *       not {@code com.acme.gpu.Worker};</li>
 *   <li>{@code **} is any run of characters, {@code .} included: {@code com.acme.**Worker}
 *       matches {@code com.acme.gpu.Worker};</li>
 *   <li>every other character stands for itself.</li>
 * </ul>
 * The whole name must match.
 */
public final class Glob {
    private Glob() {
    }

    /**
     * The regex for a glob, for {@link java.util.regex.Matcher#matches()}.
     *
     * @throws IllegalArgumentException when the glob cannot match a class name; the message says why
     */
    public static String toRegex(String glob) {
        validate(glob);
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            if (c == '*') {
                if (i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
                    regex.append(".*");
                    i++;
                } else {
                    regex.append("[^.]*");
                }
            } else if (c == '.' || c == '$') {
                regex.append('\\').append(c);
            } else {
                regex.append(c); // a Java identifier character: never special in a regex
            }
        }
        return regex.toString();
    }

    /**
     * The glob compiled, for {@code pattern.matcher(clazz.getName()).matches()}.
     *
     * @throws IllegalArgumentException when the glob cannot match a class name; the message says why
     */
    public static Pattern compile(String glob) {
        return Pattern.compile(toRegex(glob));
    }

    private static void validate(String glob) {
        if (glob.isEmpty()) {
            throw new IllegalArgumentException("the class glob is empty");
        }
        if (glob.contains("***")) {
            throw new IllegalArgumentException("'***' in '" + glob
                    + "': use * for any run of characters but '.', ** for any run including '.'");
        }
        if (glob.startsWith(".") || glob.endsWith(".") || glob.contains("..")) {
            throw new IllegalArgumentException("'" + glob + "' has an empty part between dots");
        }
        for (int i = 0; i < glob.length(); ) {
            int c = glob.codePointAt(i);
            if (c != '*' && c != '.' && !(Character.isJavaIdentifierPart(c) && !Character.isIdentifierIgnorable(c))) {
                String hint = c == '/' ? " (write class names with dots: com.acme.Worker)"
                        : c == '?' || c == '[' ? " (only * and ** are wildcards)"
                        : "";
                throw new IllegalArgumentException("'" + new String(Character.toChars(c)) + "' cannot appear in a class name ('"
                        + glob + "')" + hint);
            }
            i += Character.charCount(c);
        }
    }
}
