package numa.agent.config;

import java.util.regex.Pattern;

/**
 * A method rule's {@code method}: {@code <class glob>#<method name>}, e.g.
 * {@code com.acme.engine.WorkerServer#createServer} or {@code com.acme.**.*Server#start}.
 * The class part is a {@link Glob} on the binary class name; the method part is a Java
 * identifier, or {@code *} for every method of the class (constructors excluded).
 *
 * @param text        as written in the config
 * @param classGlob   the part before {@code #}
 * @param classPattern {@code classGlob} compiled
 * @param methodName  the part after {@code #}
 */
public record MethodPattern(String text, String classGlob, Pattern classPattern, String methodName) {
    /**
     * Parses and checks a method pattern.
     *
     * @throws IllegalArgumentException when it is not {@code <class glob>#<method name>}; the
     *                                  message says why
     */
    public static MethodPattern parse(String text) {
        int hash = text.indexOf('#');
        if (hash < 0 || hash != text.lastIndexOf('#')) {
            throw new IllegalArgumentException("'" + text + "' is not <class glob>#<method name>"
                    + " (e.g. com.acme.WorkerServer#createServer)");
        }
        String classGlob = text.substring(0, hash);
        String method = text.substring(hash + 1);
        if (classGlob.isEmpty()) {
            throw new IllegalArgumentException("'" + text + "' has no class before '#'");
        }
        if (!method.equals("*") && !isJavaIdentifier(method)) {
            throw new IllegalArgumentException("'" + method + "' after '#' is not a method name (a Java identifier, or * for any)");
        }
        return new MethodPattern(text, classGlob, Glob.compile(classGlob), method);
    }

    /** True when the class, by its binary name ({@link Class#getName()}), is one this pattern names. */
    public boolean matchesClass(String binaryName) {
        return classPattern.matcher(binaryName).matches();
    }

    /** True when a method of that name is one this pattern names. */
    public boolean matchesMethod(String name) {
        return methodName.equals("*") ? !name.startsWith("<") : methodName.equals(name);
    }

    private static boolean isJavaIdentifier(String s) {
        if (s.isEmpty() || !Character.isJavaIdentifierStart(s.codePointAt(0))) {
            return false;
        }
        return s.codePoints().allMatch(Character::isJavaIdentifierPart);
    }
}
