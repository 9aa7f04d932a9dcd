package numa.agent.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A method rule's {@code method}: {@code <class glob>#<method name>}, optionally followed by a
 * parameter list that picks overloads, e.g.
 * <ul>
 *   <li>{@code com.acme.engine.WorkerServer#createServer}: every overload;</li>
 *   <li>{@code com.acme.engine.WorkerServer#createServer(com.acme.engine.Device)}: only that one;</li>
 *   <li>{@code com.acme.engine.WorkerServer#createServer(int)}, {@code #start()},
 *       {@code #launch(String, int[])}, {@code #run(String...)}.</li>
 * </ul>
 * The class part is a {@link Glob} on the binary class name; the method part is a Java identifier,
 * or {@code *} for every method of the class (constructors excluded). A parameter type is a
 * primitive, or a class name: fully qualified ({@code java.lang.String}, nested classes with
 * {@code $} or {@code .}), or without its package ({@code String}, {@code Device}), which matches
 * that class in any package; {@code []} after a type (or {@code ...} on the last one) is an array.
 *
 * @param text         as written in the config
 * @param classGlob    the part before {@code #}
 * @param classPattern {@code classGlob} compiled
 * @param methodName   the part after {@code #}, without the parameter list
 * @param parameters   the parameter types as written (normalised: no blanks, {@code ...} as
 *                     {@code []}), or null when no list was given (every overload matches)
 */
public record MethodPattern(String text, String classGlob, Pattern classPattern, String methodName,
                            List<String> parameters) {
    private static final Set<String> PRIMITIVES = Set.of("boolean", "byte", "char", "short", "int", "long", "float",
            "double");

    public MethodPattern {
        parameters = parameters == null ? null : List.copyOf(parameters);
    }

    /**
     * Parses and checks a method pattern.
     *
     * @throws IllegalArgumentException when it is not {@code <class glob>#<method name>[(<types>)]};
     *                                  the message says why
     */
    public static MethodPattern parse(String text) {
        int hash = text.indexOf('#');
        if (hash < 0 || hash != text.lastIndexOf('#')) {
            throw new IllegalArgumentException("'" + text + "' is not <class glob>#<method name> (e.g."
                    + " com.acme.WorkerServer#createServer, or com.acme.WorkerServer#createServer(com.acme.Device)"
                    + " for one overload)");
        }
        String classGlob = text.substring(0, hash);
        String method = text.substring(hash + 1);
        if (classGlob.isEmpty()) {
            throw new IllegalArgumentException("'" + text + "' has no class before '#'");
        }
        List<String> parameters = null;
        int open = method.indexOf('(');
        if (open >= 0) {
            if (!method.endsWith(")")) {
                throw new IllegalArgumentException("'" + method.substring(open) + "' after the method name is not a"
                        + " parameter list: it must end with ')' (e.g. (int) or (com.acme.Device, int))");
            }
            parameters = parameters(method.substring(open + 1, method.length() - 1));
            method = method.substring(0, open).strip();
        } else if (method.indexOf(')') >= 0) {
            throw new IllegalArgumentException("')' without '(' in '" + method + "'");
        }
        if (!method.equals("*") && !isJavaIdentifier(method)) {
            throw new IllegalArgumentException("'" + method + "' after '#' is not a method name (a Java identifier, or * for any)");
        }
        return new MethodPattern(text, classGlob, Glob.compile(classGlob), method, parameters);
    }

    private static List<String> parameters(String list) {
        List<String> types = new ArrayList<>();
        if (list.isBlank()) {
            return types;
        }
        String[] parts = list.split(",", -1);
        for (int i = 0; i < parts.length; i++) {
            String type = parts[i].strip();
            boolean varargs = type.endsWith("...");
            if (varargs) {
                if (i != parts.length - 1) {
                    throw new IllegalArgumentException("'" + type + "': only the last parameter can be varargs (...)");
                }
                type = type.substring(0, type.length() - 3).strip() + "[]";
            }
            String element = type;
            while (element.endsWith("[]")) {
                element = element.substring(0, element.length() - 2).strip();
            }
            if (element.isEmpty()) {
                throw new IllegalArgumentException("parameter " + (i + 1) + " of (" + list + ") is empty"
                        + " (write () for a method without parameters)");
            }
            if (!isTypeName(element)) {
                throw new IllegalArgumentException("'" + parts[i].strip() + "' is not a parameter type (expected a"
                        + " primitive such as int, or a class name such as com.acme.Device or Device, each optionally"
                        + " followed by [])");
            }
            types.add(type.replaceAll("\\s+", ""));
        }
        return types;
    }

    /** True when the class, by its binary name ({@link Class#getName()}), is one this pattern names. */
    public boolean matchesClass(String binaryName) {
        try {
            return BoundedMatch.whole(classPattern, binaryName) != null;
        } catch (BoundedMatch.TooCostly e) {
            // a glob of many stars against a long name backtracks polynomially: bounded, then no match
            return false;
        }
    }

    /** True when a method of that name is one this pattern names (any overload). */
    public boolean matchesMethod(String name) {
        return methodName.equals("*") ? !name.startsWith("<") : methodName.equals(name);
    }

    /**
     * True when the method of that name and JVM descriptor ({@code (Lcom/acme/Device;I)V}) is one
     * this pattern names: its name matches and, when a parameter list was given, its parameters.
     */
    public boolean matchesMethod(String name, String descriptor) {
        if (!matchesMethod(name)) {
            return false;
        }
        if (parameters == null) {
            return true;
        }
        List<String> actual = Descriptors.parameterTypeNames(descriptor);
        if (actual.size() != parameters.size()) {
            return false;
        }
        for (int i = 0; i < actual.size(); i++) {
            if (!typeMatches(parameters.get(i), actual.get(i))) {
                return false;
            }
        }
        return true;
    }

    /** The parameter types of a JVM method descriptor as binary names, arrays as {@code T[]}. */
    public static List<String> parameterTypeNames(String descriptor) {
        return Descriptors.parameterTypeNames(descriptor);
    }

    /** How many parameters the named overload has, or -1 when no parameter list was given. */
    public int parameterCount() {
        return parameters == null ? -1 : parameters.size();
    }

    /**
     * A written type against a binary type name ({@code java.lang.String[]}, {@code a.Outer$Inner}):
     * equal, or equal to its end after a '.' or '$' (a name written without its package).
     */
    static boolean typeMatches(String written, String actual) {
        String w = written.replace('$', '.');
        String a = actual.replace('$', '.');
        if (a.equals(w)) {
            return true;
        }
        if (PRIMITIVES.contains(stripArrays(w)) || PRIMITIVES.contains(stripArrays(a))) {
            return false;
        }
        return a.endsWith("." + w);
    }

    private static String stripArrays(String type) {
        int bracket = type.indexOf('[');
        return bracket < 0 ? type : type.substring(0, bracket);
    }

    private static boolean isTypeName(String s) {
        if (PRIMITIVES.contains(s)) {
            return true;
        }
        for (String part : s.split("[.$]", -1)) {
            if (!isJavaIdentifier(part)) {
                return false;
            }
        }
        return true;
    }

    private static boolean isJavaIdentifier(String s) {
        if (s.isEmpty() || !Character.isJavaIdentifierStart(s.codePointAt(0))) {
            return false;
        }
        return s.codePoints().allMatch(Character::isJavaIdentifierPart);
    }

    /** JVM method descriptors, read without a bytecode library. */
    static final class Descriptors {
        private Descriptors() {
        }

        /** The parameter types of a method descriptor as {@link Class#getName()}-like names, arrays as {@code T[]}. */
        static List<String> parameterTypeNames(String descriptor) {
            List<String> names = new ArrayList<>();
            int i = 1; // after '('
            while (i < descriptor.length() && descriptor.charAt(i) != ')') {
                int dims = 0;
                while (descriptor.charAt(i) == '[') {
                    dims++;
                    i++;
                }
                String element;
                char c = descriptor.charAt(i);
                if (c == 'L') {
                    int end = descriptor.indexOf(';', i);
                    element = descriptor.substring(i + 1, end).replace('/', '.');
                    i = end + 1;
                } else {
                    element = switch (c) {
                        case 'Z' -> "boolean";
                        case 'B' -> "byte";
                        case 'C' -> "char";
                        case 'S' -> "short";
                        case 'I' -> "int";
                        case 'J' -> "long";
                        case 'F' -> "float";
                        case 'D' -> "double";
                        default -> throw new IllegalArgumentException("not a method descriptor: " + descriptor);
                    };
                    i++;
                }
                names.add(element + "[]".repeat(dims));
            }
            return names;
        }
    }
}
