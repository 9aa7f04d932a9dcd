package numa.agent.cli;

/**
 * Text from a target (thread names, command lines, what its agent reports) made safe for a
 * terminal: control characters (C0, DEL, C1: terminal escape sequences start with ESC or CSI),
 * line and paragraph separators and bidirectional overrides are written as escapes, and so is the
 * backslash, so that the escape of one string is never another string's plain text. A name can then
 * neither move the cursor, recolour or retitle the terminal, nor add a line to a table.
 * JSON output needs none of this: {@link JsonWriter} escapes control characters itself.
 */
final class PrintableText {
    private PrintableText() {
    }

    static String escape(String s) {
        if (s == null) {
            return null;
        }
        StringBuilder b = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            String e = escapeOf(c);
            if (e != null && b == null) {
                b = new StringBuilder(s.length() + 16).append(s, 0, i);
            }
            if (b != null) {
                if (e != null) {
                    b.append(e);
                } else {
                    b.append(c);
                }
            }
        }
        return b == null ? s : b.toString();
    }

    private static String escapeOf(char c) {
        switch (c) {
            case '\\':
                return "\\\\";
            case '\n':
                return "\\n";
            case '\r':
                return "\\r";
            case '\t':
                return "\\t";
            default:
                break;
        }
        if (c < 0x20 || c == 0x7f || (c >= 0x80 && c <= 0x9f)) {
            return String.format("\\x%02x", (int) c);
        }
        if (c == '\u2028' || c == '\u2029' || (c >= '\u202a' && c <= '\u202e') || (c >= '\u2066' && c <= '\u2069')
                || c == '\u200e' || c == '\u200f' || c == '\u061c') {
            return String.format("\\u%04x", (int) c);
        }
        return null;
    }
}
