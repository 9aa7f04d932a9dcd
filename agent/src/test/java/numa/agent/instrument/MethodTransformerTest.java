package numa.agent.instrument;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import numa.agent.config.ConfigLoader;
import numa.agent.rules.MethodRules;

/**
 * The advice written into real classes, loaded and run (and so verified by the JVM, stack map frames
 * included) in a class loader of their own, with {@link TestBridge} standing in for the bridge.
 */
class MethodTransformerTest {
    private static final String SAMPLES = "numa.agent.instrument.samples.";

    @BeforeEach
    void clear() {
        TestBridge.take();
    }

    /** Loads the sample classes through the transformer; everything else from the test's loader. */
    private static final class Instrumenting extends ClassLoader {
        final MethodTransformer transformer;
        final List<String> transformed = new ArrayList<>();

        Instrumenting(MethodTransformer transformer) {
            super(MethodTransformerTest.class.getClassLoader());
            this.transformer = transformer;
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (!name.startsWith(SAMPLES)) {
                return super.loadClass(name, resolve);
            }
            synchronized (getClassLoadingLock(name)) {
                Class<?> c = findLoadedClass(name);
                if (c == null) {
                    byte[] bytes = bytesOf(name);
                    byte[] out = transformer.transform(null, this, name.replace('.', '/'), null, null, bytes);
                    if (out != null) {
                        transformed.add(name.substring(SAMPLES.length()));
                        bytes = out;
                    }
                    c = defineClass(name, bytes, 0, bytes.length);
                }
                return c;
            }
        }
    }

    static byte[] bytesOf(String name) {
        try (InputStream in = MethodTransformerTest.class.getClassLoader()
                .getResourceAsStream(name.replace('.', '/') + ".class")) {
            return in.readAllBytes();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static MethodSites sites;

    private static Instrumenting loaderFor(String rulesYaml) throws Exception {
        MethodRules rules = new MethodRules(ConfigLoader.parse("test.yaml", rulesYaml).rules());
        sites = new MethodSites();
        return new Instrumenting(new MethodTransformer(rules, sites, null, "numa/agent/instrument/TestBridge"));
    }

    private static String rule(String method, String target) {
        return "  - name: r" + Math.abs((method + target).hashCode()) + "\n    method: '" + method + "'\n    " + target + "\n";
    }

    private static Object device(ClassLoader loader, int index) throws Exception {
        return loader.loadClass(SAMPLES + "Device").getConstructor(int.class).newInstance(index);
    }

    private static Object call(Object target, String name, Class<?>[] types, Object... args) throws Throwable {
        Class<?> type = target instanceof Class<?> c ? c : target.getClass();
        Method m = type.getMethod(name, types);
        try {
            return m.invoke(target instanceof Class<?> ? null : target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    @Test
    void everyOverloadWithoutAParameterListAndTheArgumentTheExpressionReads() throws Throwable {
        Instrumenting loader = loaderFor("rules:\n" + rule(SAMPLES + "Server#createServer", "device: arg0"));
        Class<?> deviceType = loader.loadClass(SAMPLES + "Device");
        Object server = loader.loadClass(SAMPLES + "Server").getConstructor().newInstance();
        assertThat(call(server, "createServer", new Class<?>[] {deviceType}, device(loader, 2))).isEqualTo("server-2");
        assertThat(call(server, "createServer", new Class<?>[] {int.class}, 3)).isEqualTo("int-3");
        assertThat(call(server, "createServer", new Class<?>[] {String.class}, "4")).isEqualTo("str-4");
        List<String> events = TestBridge.take();
        assertThat(events).hasSize(6);
        assertThat(events.get(0)).matches("enter \\d+ Device:Device\\[index=2]");
        assertThat(events.get(2)).matches("enter \\d+ Integer:3");
        assertThat(events.get(4)).matches("enter \\d+ String:4");
        assertThat(List.of(events.get(1), events.get(3), events.get(5))).containsOnly("exit");
        assertThat(sites.size()).isEqualTo(3);
        assertThat(sites.get(0).describe()).startsWith(SAMPLES + "Server.createServer(");
        assertThat(loader.transformed).containsExactly("Server");
    }

    @Test
    void aParameterListPicksOneOverload() throws Throwable {
        Instrumenting loader = loaderFor("rules:\n" + rule(SAMPLES + "Server#createServer(int)", "node: arg0"));
        Class<?> deviceType = loader.loadClass(SAMPLES + "Device");
        Object server = loader.loadClass(SAMPLES + "Server").getConstructor().newInstance();
        call(server, "createServer", new Class<?>[] {deviceType}, device(loader, 2));
        call(server, "createServer", new Class<?>[] {String.class}, "4");
        assertThat(TestBridge.take()).isEmpty();
        call(server, "createServer", new Class<?>[] {int.class}, 1);
        assertThat(TestBridge.take()).hasSize(2).first().asString().matches("enter \\d+ Integer:1");
        assertThat(sites.size()).isEqualTo(1);
        assertThat(sites.get(0).describe()).isEqualTo(SAMPLES + "Server.createServer(int)");
    }

    /** Every shape runs as before: results, exceptions and the application's own handlers; enter and exit pair up. */
    @Test
    void methodShapesRunUnchangedAndEveryEnterHasItsExit() throws Throwable {
        Instrumenting loader = loaderFor("rules:\n" + rule(SAMPLES + "Server#*", "node: 0"));
        Class<?> deviceType = loader.loadClass(SAMPLES + "Device");
        Class<?> serverType = loader.loadClass(SAMPLES + "Server");
        Object server = serverType.getConstructor().newInstance();
        Class<?>[] device = {deviceType};
        assertThat(call(server, "loopFirst", new Class<?>[] {int.class}, 4)).isEqualTo(10);
        assertThat(call(server, "catchesItsOwn", device, device(loader, 1))).isEqualTo("caught inner");
        assertThat(call(server, "catchesItsOwn", device, device(loader, 0))).isEqualTo("none");
        assertThatThrownBy(() -> call(server, "throwsOut", device, device(loader, 5)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("device 5");
        assertThat(call(server, "synchronizedWide", new Class<?>[] {double.class, long.class}, 1.5, 2L)).isEqualTo(3.5);
        assertThat(call(server, "switches", new Class<?>[] {int.class}, 7)).isEqualTo("seven");
        assertThat(call(server, "switches", new Class<?>[] {int.class}, 9)).isEqualTo("many");
        assertThat(call(server, "lambdaInside", new Class<?>[] {int.class}, 1)).isEqualTo(12);
        assertThat(call(server, "recursive", new Class<?>[] {int.class}, 3)).isEqualTo(3);
        call(server, "nothing", new Class<?>[] {boolean.class, char.class, byte.class, short.class, float.class},
                true, 'a', (byte) 1, (short) 2, 3f);
        assertThat(call(serverType, "staticCreate", new Class<?>[] {long.class, double.class, deviceType}, 1L, 2.0,
                device(loader, 3))).isEqualTo(6L);
        List<String> events = TestBridge.take();
        int depth = 0;
        for (String e : events) {
            depth += e.startsWith("enter") ? 1 : -1;
            assertThat(depth).as("never more exits than enters: %s", events).isGreaterThanOrEqualTo(0);
        }
        assertThat(depth).as("every enter has its exit: %s", events).isZero();
        // loopFirst, catchesItsOwn x2, throwsOut, synchronizedWide, switches x2, lambdaInside (its lambdas are
        // synthetic: not instrumented), recursive x4, nothing, staticCreate: 14 calls
        assertThat(events.stream().filter(e -> e.startsWith("enter"))).hasSize(14);
    }

    @Test
    void thisAndEachKindOfArgumentIsPassedBoxed() throws Throwable {
        Instrumenting loader = loaderFor("rules:\n"
                + rule(SAMPLES + "Server#calls", "node: this.calls")
                + rule(SAMPLES + "Server#staticCreate", "device: arg2.index")
                + rule(SAMPLES + "Server#synchronizedWide", "node: arg1")
                + rule(SAMPLES + "Server#nothing", "node: arg1")
                + rule(SAMPLES + "Server#loopFirst", "node: this"));
        Class<?> deviceType = loader.loadClass(SAMPLES + "Device");
        Class<?> serverType = loader.loadClass(SAMPLES + "Server");
        Object server = serverType.getConstructor().newInstance();
        call(server, "calls", new Class<?>[0]);
        call(serverType, "staticCreate", new Class<?>[] {long.class, double.class, deviceType}, 1L, 2.0, device(loader, 3));
        call(server, "synchronizedWide", new Class<?>[] {double.class, long.class}, 1.5, 2L);
        call(server, "nothing", new Class<?>[] {boolean.class, char.class, byte.class, short.class, float.class},
                true, 'a', (byte) 1, (short) 2, 3f);
        List<String> enters = TestBridge.take().stream().filter(e -> e.startsWith("enter")).toList();
        assertThat(enters).hasSize(4);
        assertThat(enters.get(0)).matches("enter \\d+ Server:.*");
        assertThat(enters.get(1)).matches("enter \\d+ Device:Device\\[index=3]");
        assertThat(enters.get(2)).matches("enter \\d+ Long:2");
        assertThat(enters.get(3)).matches("enter \\d+ Character:a");
    }

    @Test
    void aStaticMethodPassesNullForThisAndAMissingArgumentIsNull() throws Throwable {
        Instrumenting loader = loaderFor("rules:\n" + rule(SAMPLES + "Server#staticCreate", "node: this.x")
                + rule(SAMPLES + "Server#createServer", "node: arg3"));
        Class<?> deviceType = loader.loadClass(SAMPLES + "Device");
        Class<?> serverType = loader.loadClass(SAMPLES + "Server");
        call(serverType, "staticCreate", new Class<?>[] {long.class, double.class, deviceType}, 1L, 2.0, device(loader, 3));
        call(serverType.getConstructor().newInstance(), "createServer", new Class<?>[] {int.class}, 1);
        assertThat(TestBridge.take()).filteredOn(e -> e.startsWith("enter")).allMatch(e -> e.endsWith(" null"));
    }

    @Test
    void implementationsOfAnInterfaceMatchButNotStaticOrPrivateNamesakes() throws Throwable {
        Instrumenting loader = loaderFor("rules:\n" + rule(SAMPLES + "Factory#newServer", "node: 0"));
        Class<?> deviceType = loader.loadClass(SAMPLES + "Device");
        Class<?> assembler = loader.loadClass(SAMPLES + "Assembler");
        Object factory = assembler.getConstructor().newInstance();
        assertThat(call(factory, "newServer", new Class<?>[] {deviceType}, device(loader, 1))).isEqualTo("assembled-1");
        assertThat(TestBridge.take()).hasSize(2);
        assertThat(call(assembler, "newServer", new Class<?>[] {int.class}, 1)).isEqualTo("static-1");
        assertThat(call(factory, "callPrivate", new Class<?>[] {String.class}, "2")).isEqualTo("private-2");
        assertThat(call(factory, "defaultServer", new Class<?>[] {deviceType}, device(loader, 1))).isEqualTo("default-1");
        assertThat(TestBridge.take()).isEmpty();
        assertThat(sites.size()).isEqualTo(1);
        assertThat(sites.get(0).describe()).isEqualTo(SAMPLES + "Assembler.newServer(Device)");
    }

    @Test
    void aDefaultMethodOfANamedInterfaceMatches() throws Throwable {
        Instrumenting loader = loaderFor("rules:\n" + rule(SAMPLES + "Factory#defaultServer", "node: 0"));
        Class<?> deviceType = loader.loadClass(SAMPLES + "Device");
        Object factory = loader.loadClass(SAMPLES + "Assembler").getConstructor().newInstance();
        assertThat(call(factory, "defaultServer", new Class<?>[] {deviceType}, device(loader, 1))).isEqualTo("default-1");
        assertThat(TestBridge.take()).hasSize(2);
        assertThat(loader.transformed).contains("Factory");
    }

    @Test
    void overridesAtAnyDepthAndTheNamedClassesOwnMethodMatch() throws Throwable {
        Instrumenting loader = loaderFor("rules:\n" + rule(SAMPLES + "BaseLauncher#launch", "node: 0")
                + rule(SAMPLES + "BaseLauncher#serve", "node: 1"));
        Class<?> deviceType = loader.loadClass(SAMPLES + "Device");
        Object deep = loader.loadClass(SAMPLES + "DeepLauncher").getConstructor().newInstance();
        assertThat(call(deep, "launch", new Class<?>[] {deviceType}, device(loader, 1))).isEqualTo("gpu-base-1");
        // GpuLauncher.launch (override, inherited by DeepLauncher) calls BaseLauncher.launch: two calls, nested
        assertThat(TestBridge.take()).hasSize(4);
        assertThat(call(deep, "serve", new Class<?>[] {deviceType}, device(loader, 2))).isEqualTo("deep-2");
        assertThat(TestBridge.take()).hasSize(2);
        assertThat(loader.transformed).contains("BaseLauncher", "GpuLauncher", "DeepLauncher");
        assertThat(sites.size()).isEqualTo(4); // Base.launch, Gpu.launch, Gpu.serve, Deep.serve (abstract Base.serve not)
    }

    @Test
    void aClassThatNeverMentionsTheMethodNameIsNotRewritten() throws Throwable {
        MethodRules rules = new MethodRules(ConfigLoader.parse("t.yaml", "rules:\n"
                + rule(SAMPLES + "Factory#newServer", "node: 0")).rules());
        MethodTransformer t = new MethodTransformer(rules, new MethodSites(), null, "numa/agent/instrument/TestBridge");
        ClassLoader loader = getClass().getClassLoader();
        assertThat(t.transform(null, loader, "numa/agent/instrument/samples/BaseLauncher", null, null,
                bytesOf(SAMPLES + "BaseLauncher"))).isNull();
        assertThat(t.transform(null, loader, "numa/agent/instrument/samples/Assembler", null, null,
                bytesOf(SAMPLES + "Assembler"))).isNotNull();
        // JDK classes are not even looked at when no glob can name one
        assertThat(t.transform(null, null, "java/util/ArrayList", null, null, bytesOf("java.util.ArrayList"))).isNull();
    }

    @Test
    void retransformationUsesTheLoadedClassForSupertypes() throws Throwable {
        MethodRules rules = new MethodRules(ConfigLoader.parse("t.yaml", "rules:\n"
                + rule(SAMPLES + "Factory#newServer", "node: 0")).rules());
        MethodTransformer t = new MethodTransformer(rules, new MethodSites(), null, "numa/agent/instrument/TestBridge");
        Class<?> loaded = numa.agent.instrument.samples.Assembler.class;
        assertThat(t.transform(null, loaded.getClassLoader(), "numa/agent/instrument/samples/Assembler", loaded, null,
                bytesOf(SAMPLES + "Assembler"))).isNotNull();
    }

    @Test
    void siteNumbersAreStableAcrossRetransformations() throws Exception {
        MethodSites s = new MethodSites();
        numa.agent.config.Rule r = ConfigLoader.parse("t.yaml", "rules:\n" + rule("a.B#c", "node: 0")).rules().get(0);
        MethodSites.Site first = s.register(r, "a.B", "c", "(ILa/D;)V", false);
        MethodSites.Site again = s.register(r, "a.B", "c", "(ILa/D;)V", false);
        MethodSites.Site other = s.register(r, "a.B", "c", "()V", true);
        assertThat(again).isSameAs(first);
        assertThat(other.id()).isEqualTo(first.id() + 1);
        assertThat(first.describe()).isEqualTo("a.B.c(int, D)");
        assertThat(first.argCount()).isEqualTo(2);
        assertThat(s.get(other.id())).isSameAs(other);
        assertThat(s.get(99)).isNull();
    }
}
