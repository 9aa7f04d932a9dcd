package numa.agent.cli;

import java.util.Collection;
import java.util.Iterator;
import java.util.Map;

/**
 * Writes plain values as JSON: {@link Map} (keys in the map's order, so a {@code LinkedHashMap}
 * gives stable output), {@link Collection}, {@link CharSequence}, integral {@link Number},
 * {@link Boolean} and {@code null}. Hand-written because the agent jar carries no JSON library and
 * the command line needs only this much.
 *
 * <p>Objects and arrays that hold other objects or arrays are spread over lines with two-space
 * indentation; arrays of plain values stay on one line ({@code "distances": [10, 20]}), so that
 * the output reads well and diffs well.
 *
 * <p>Strings are escaped so that any Java string gives valid JSON in UTF-8: quotes, backslashes and
 * control characters as JSON escapes, and also U+2028/U+2029 (which break JavaScript embedding) and
 * unpaired surrogates (which have no UTF-8 form) as {@code \}{@code uXXXX}.
 */
final class JsonWriter {
    private static final String INDENT = "  ";

    private JsonWriter() {
    }

    /** The value as JSON text, without a trailing newline. */
    static String write(Object value) {
        StringBuilder out = new StringBuilder();
        value(out, value, 0);
        return out.toString();
    }

    private static void value(StringBuilder out, Object value, int depth) {
        if (value == null) {
            out.append("null");
        } else if (value instanceof CharSequence) {
            string(out, value.toString());
        } else if (value instanceof Boolean) {
            out.append(value);
        } else if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
            out.append(value);
        } else if (value instanceof Map) {
            object(out, (Map<?, ?>) value, depth);
        } else if (value instanceof Collection) {
            array(out, (Collection<?>) value, depth);
        } else {
            // a programming error, not user input: fail loudly rather than write something odd
            throw new IllegalArgumentException("no JSON form for " + value.getClass().getName());
        }
    }

    private static void object(StringBuilder out, Map<?, ?> map, int depth) {
        if (map.isEmpty()) {
            out.append("{}");
            return;
        }
        out.append('{');
        Iterator<? extends Map.Entry<?, ?>> entries = map.entrySet().iterator();
        while (entries.hasNext()) {
            Map.Entry<?, ?> e = entries.next();
            if (!(e.getKey() instanceof String)) {
                throw new IllegalArgumentException("JSON object keys are strings, not " + e.getKey());
            }
            newline(out, depth + 1);
            string(out, (String) e.getKey());
            out.append(": ");
            value(out, e.getValue(), depth + 1);
            if (entries.hasNext()) {
                out.append(',');
            }
        }
        newline(out, depth);
        out.append('}');
    }

    private static void array(StringBuilder out, Collection<?> items, int depth) {
        if (items.isEmpty()) {
            out.append("[]");
            return;
        }
        boolean flat = items.stream().noneMatch(i -> i instanceof Map || i instanceof Collection);
        out.append('[');
        Iterator<?> it = items.iterator();
        while (it.hasNext()) {
            if (!flat) {
                newline(out, depth + 1);
            }
            value(out, it.next(), depth + 1);
            if (it.hasNext()) {
                out.append(flat ? ", " : ",");
            }
        }
        if (!flat) {
            newline(out, depth);
        }
        out.append(']');
    }

    private static void newline(StringBuilder out, int depth) {
        out.append('\n');
        for (int i = 0; i < depth; i++) {
            out.append(INDENT);
        }
    }

    private static void string(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20 || c == 0x7f || c == '\u2028' || c == '\u2029') {
                        unicodeEscape(out, c);
                    } else if (Character.isHighSurrogate(c) && i + 1 < s.length()
                            && Character.isLowSurrogate(s.charAt(i + 1))) {
                        out.append(c).append(s.charAt(++i)); // a whole pair: a real character
                    } else if (Character.isSurrogate(c)) {
                        unicodeEscape(out, c);
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    private static void unicodeEscape(StringBuilder out, char c) {
        out.append(String.format("\\u%04x", (int) c));
    }
}
