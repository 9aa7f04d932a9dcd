package numa.agent.config;

import java.lang.reflect.AccessibleObject;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Reads one step of a path expression ({@code .index}) from an application object: a no-argument
 * method {@code index()} or {@code getIndex()}, or else a field {@code index}; public or not,
 * declared by the object's class or any class above it. Nothing is ever written or constructed.
 */
final class MemberAccess {
    private MemberAccess() {
    }

    /** How to read one property of objects of one class. */
    interface Accessor {
        /** @param expr the expression, for messages */
        Object get(Object target, String expr) throws ExprException;

        /** {@code com.acme.Device.index()} or {@code field com.acme.Device.index}. */
        String describe();

        /** The verb for a value it gave: "returned" or "holds". */
        String verb();
    }

    /** The accessor for {@code property} on {@code type}, or null when it has none. */
    static Accessor find(Class<?> type, String property) {
        Method method = method(type, property);
        if (method == null) {
            method = method(type, getterName(property));
        }
        if (method != null) {
            if (open(method)) {
                return new MethodAccessor(method);
            }
            // e.g. size() of a JDK-internal List class: call it through the public List.size() instead
            Method visible = publicDeclaration(type, method.getName());
            return new MethodAccessor(visible != null ? visible : method);
        }
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            try {
                Field field = c.getDeclaredField(property);
                open(field);
                return new FieldAccessor(field);
            } catch (NoSuchFieldException | LinkageError e) {
                // not declared here; look further up
            }
        }
        return null;
    }

    /** {@code index} -> {@code getIndex}. */
    static String getterName(String property) {
        return "get" + property.substring(0, 1).toUpperCase(Locale.ROOT) + property.substring(1);
    }

    /** A no-argument, value-returning method: the class's own first, then up, then interfaces' defaults. */
    private static Method method(Class<?> type, String name) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            try {
                Method m = c.getDeclaredMethod(name);
                if (m.getReturnType() != void.class) {
                    return m;
                }
            } catch (NoSuchMethodException | LinkageError e) {
                // not declared here; look further up
            }
        }
        try {
            Method m = type.getMethod(name);
            return m.getReturnType() != void.class ? m : null;
        } catch (NoSuchMethodException | LinkageError e) {
            return null;
        }
    }

    /**
     * The same method declared by a public class or interface of an exported package above
     * {@code type}: callable without opening anything, and dispatched to the same code.
     */
    private static Method publicDeclaration(Class<?> type, String name) {
        Deque<Class<?>> pending = new ArrayDeque<>(List.of(type));
        Set<Class<?>> seen = new HashSet<>();
        while (!pending.isEmpty()) {
            Class<?> c = pending.removeFirst();
            if (!seen.add(c)) {
                continue;
            }
            if (Modifier.isPublic(c.getModifiers()) && c.getModule().isExported(c.getPackageName())) {
                try {
                    Method m = c.getMethod(name);
                    if (m.getReturnType() != void.class && Modifier.isPublic(m.getDeclaringClass().getModifiers())) {
                        return m;
                    }
                } catch (NoSuchMethodException | LinkageError e) {
                    // not here
                }
            }
            if (c.getSuperclass() != null) {
                pending.addLast(c.getSuperclass());
            }
            pending.addAll(List.of(c.getInterfaces()));
        }
        return null;
    }

    /**
     * Makes a member usable when it is not public or its class is not. False when its module does
     * not allow it (a JDK class in a package not opened to the agent): then the reading is tried
     * anyway and a refusal becomes a clear error.
     */
    private static boolean open(AccessibleObject member) {
        try {
            return member.trySetAccessible();
        } catch (SecurityException e) {
            return false;
        }
    }

    private static ExprException refused(String expr, Accessor accessor, Class<?> declaring, Exception e) {
        String pkg = declaring.getPackageName();
        return new ExprException(expr + ": cannot read " + accessor.describe() + " (" + e.getMessage() + "); "
                + (declaring.getModule().isNamed()
                ? "add --add-opens " + declaring.getModule().getName() + "/" + pkg + "=ALL-UNNAMED, or use a public member"
                : "use a public member"));
    }

    private record MethodAccessor(Method method) implements Accessor {
        @Override
        public Object get(Object target, String expr) throws ExprException {
            try {
                return method.invoke(Modifier.isStatic(method.getModifiers()) ? null : target);
            } catch (InvocationTargetException e) {
                throw threw(expr, e.getCause());
            } catch (IllegalAccessException | RuntimeException e) {
                throw refused(expr, this, method.getDeclaringClass(), e);
            } catch (ExceptionInInitializerError | NoClassDefFoundError e) {
                // the application's class failed to initialize as the getter was called
                throw threw(expr, e);
            }
        }

        /** The getter threw: reported once per getter and exception class, whatever its message. */
        private ExprException threw(String expr, Throwable cause) {
            String what = describe() + " threw " + cause.getClass().getName();
            String message;
            try {
                message = cause.getMessage(); // the application's code: may throw too
            } catch (Throwable t) {
                message = null;
            }
            return new ExprException(expr + ": " + what + (message == null ? "" : ": " + message), expr + ": " + what);
        }

        @Override
        public String describe() {
            return method.getDeclaringClass().getName() + "." + method.getName() + "()";
        }

        @Override
        public String verb() {
            return "returned";
        }
    }

    private record FieldAccessor(Field field) implements Accessor {
        @Override
        public Object get(Object target, String expr) throws ExprException {
            try {
                return field.get(Modifier.isStatic(field.getModifiers()) ? null : target);
            } catch (IllegalAccessException | RuntimeException e) {
                throw refused(expr, this, field.getDeclaringClass(), e);
            }
        }

        @Override
        public String describe() {
            return "field " + field.getDeclaringClass().getName() + "." + field.getName();
        }

        @Override
        public String verb() {
            return "holds";
        }
    }
}
