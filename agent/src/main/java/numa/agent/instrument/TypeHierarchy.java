package numa.agent.instrument;

import java.io.InputStream;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;

import net.bytebuddy.jar.asm.ClassReader;

import numa.agent.rules.MethodRules;

/**
 * Which method rules name a type or one of its supertypes ("implementations match"), for classes
 * that are being loaded, without loading anything.
 *
 * <p>When a class loads, its superclass and interfaces are usually not loaded yet (the JVM resolves
 * them after the ClassFileLoadHook), so their own supertypes are read from their class files: the
 * header only (super name and interfaces, by ASM's ClassReader), found through the loader of the
 * class being loaded ({@code getResource}), as ByteBuddy's TypePool over a class loader would, without
 * bringing ByteBuddy's type model in. Each type is read at most once per loader; JDK types are never
 * read unless a rule's glob could name a JDK class (their supertypes are JDK types too). Callers ask
 * only for classes that mention a rule's method name, so most classes never get here.
 */
final class TypeHierarchy {
    private static final int MAX_DEPTH = 64;

    private final MethodRules rules;
    private final Map<ClassLoader, Map<String, Long>> byLoader = Collections.synchronizedMap(new WeakHashMap<>());
    private final Map<String, Long> boot = new ConcurrentHashMap<>();

    TypeHierarchy(MethodRules rules) {
        this.rules = rules;
    }

    /** Rules naming the type of that internal name or any of its supertypes (bit i for rule i). */
    long maskOf(String internalName, ClassLoader loader) {
        return maskOf(internalName, loader, 0);
    }

    /** The same for a loaded class, by reflection. */
    long maskOf(Class<?> type) {
        if (type == null) {
            return 0;
        }
        String name = type.getName().replace('.', '/');
        if (MethodRules.isJdkName(name) && !rules.mayMatchJdk()) {
            return 0;
        }
        long mask = rules.classMask(name) | maskOf(type.getSuperclass());
        for (Class<?> i : type.getInterfaces()) {
            mask |= maskOf(i);
        }
        return mask;
    }

    private long maskOf(String name, ClassLoader loader, int depth) {
        if (name == null || depth > MAX_DEPTH || (MethodRules.isJdkName(name) && !rules.mayMatchJdk())) {
            return 0;
        }
        Map<String, Long> cache = cacheFor(loader);
        Long known = cache.get(name);
        if (known != null) {
            return known;
        }
        long mask = rules.classMask(name);
        ClassReader header = header(name, loader);
        if (header != null) {
            mask |= maskOf(header.getSuperName(), loader, depth + 1);
            for (String i : header.getInterfaces()) {
                mask |= maskOf(i, loader, depth + 1);
            }
        }
        cache.put(name, mask);
        return mask;
    }

    private Map<String, Long> cacheFor(ClassLoader loader) {
        if (loader == null) {
            return boot;
        }
        return byLoader.computeIfAbsent(loader, l -> new ConcurrentHashMap<>());
    }

    /** The class file of a type as its loader sees it, or null (not found: then it names no rule). */
    private static ClassReader header(String name, ClassLoader loader) {
        String resource = name + ".class";
        try (InputStream in = loader != null ? loader.getResourceAsStream(resource)
                : ClassLoader.getSystemResourceAsStream(resource)) {
            return in == null ? null : new ClassReader(in);
        } catch (Exception | LinkageError e) {
            return null;
        }
    }
}
