package numa.agent.log;

/**
 * What the agent's log lines may carry of text it does not control: thread names, command lines,
 * values read from files. A thread name is any string the application (or an attacker who can name
 * a thread) chose: a newline in it would forge a second log line, an escape sequence would drive
 * the operator's terminal, and a megabyte-long one would make a megabyte-long line. So control
 * characters (C0, DEL, C1, the Unicode line separators and bidirectional overrides) are written as
 * escapes, and a value longer than {@value #MAX_CHARS} characters is cut, with a marker that says
 * how long it was.
 */
final class LogText {
    /** Enough for any real thread name, command line or path; far less than a hostile one. */
    static final int MAX_CHARS = 1000;

    private LogText() {
    }

    /** {@code args} with each one as {@link #safe} text (a new array; null stays null). */
    static Object[] safeArguments(Object[] args) {
        if (args == null || args.length == 0) {
            return args;
        }
        Object[] out = new Object[args.length];
        for (int i = 0; i < args.length; i++) {
            Object a = args[i];
            out[i] = a == null || a instanceof Number || a instanceof Boolean ? a : safe(String.valueOf(a));
        }
        return out;
    }

    /** {@code s} escaped and cut as described above; {@code s} itself when it needs neither. */
    static String safe(String s) {
        int cut = s.length() > MAX_CHARS ? MAX_CHARS : s.length();
        if (cut > 0 && cut < s.length() && Character.isHighSurrogate(s.charAt(cut - 1))) {
            cut--; // never half a character
        }
        int first = 0;
        while (first < cut && !needsEscape(s.charAt(first))) {
            first++;
        }
        if (first == cut && cut == s.length()) {
            return s;
        }
        StringBuilder sb = new StringBuilder(cut + 40).append(s, 0, first);
        for (int i = first; i < cut; i++) {
            char c = s.charAt(i);
            if (!needsEscape(c)) {
                sb.append(c);
            } else if (c == '\n') {
                sb.append("\\n");
            } else if (c == '\r') {
                sb.append("\\r");
            } else if (c == '\t') {
                sb.append("\\t");
            } else if (c < 0x100) {
                sb.append("\\x").append(Character.forDigit(c >> 4, 16)).append(Character.forDigit(c & 0xf, 16));
            } else {
                String hex = Integer.toHexString(c);
                sb.append("\\u").append("0000", hex.length(), 4).append(hex);
            }
        }
        if (cut < s.length()) {
            sb.append("... (cut: ").append(s.length()).append(" characters)");
        }
        return sb.toString();
    }

    private static boolean needsEscape(char c) {
        return c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == '\u2028' || c == '\u2029'
                || (c >= '\u202a' && c <= '\u202e') || (c >= '\u2066' && c <= '\u2069');
    }
}
