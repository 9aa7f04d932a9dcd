package numa.agent.instrument;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.ObjIntConsumer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * The contract of java.lang.NumaAgentBridge, inside every Thread.start and every advised method:
 * whatever a hook throws, the application's call goes on (VirtualMachineErrors included: they come
 * from the agent's own work), except ThreadDeath, which the application asked for; and the agent's
 * own code never re-enters its hooks. Called through method handles: the bridge is patched into
 * java.base for the tests' JVM, not visible to their compiler.
 */
class BridgeContractTest {
    private static MethodHandle bridge(String name, MethodType type) throws Exception {
        return MethodHandles.publicLookup().findStatic(Class.forName("java.lang.NumaAgentBridge"), name, type);
    }

    private static void installThreadHooks(Function<Thread, Object> before, Consumer<Object> after) throws Throwable {
        bridge("installThreadStartHooks", MethodType.methodType(void.class, Function.class, Consumer.class))
                .invoke(before, after);
    }

    private static Object beforeThreadStart(Thread t) throws Throwable {
        return bridge("beforeThreadStart", MethodType.methodType(Object.class, Thread.class)).invoke(t);
    }

    private static void afterThreadStart(Object token) throws Throwable {
        bridge("afterThreadStart", MethodType.methodType(void.class, Object.class)).invoke(token);
    }

    private static boolean insideAgent() throws Throwable {
        return (boolean) bridge("insideAgent", MethodType.methodType(boolean.class)).invoke();
    }

    private static Throwable thrown(String kind) {
        return switch (kind) {
            case "runtime" -> new IllegalStateException("the agent's bug");
            case "oom" -> new OutOfMemoryError("the agent's allocation");
            case "soe" -> new StackOverflowError();
            case "linkage" -> new NoClassDefFoundError("numa/agent/Missing");
            default -> throw new IllegalArgumentException(kind);
        };
    }

    @AfterEach
    void noHooks() throws Throwable {
        installThreadHooks(null, null);
        bridge("installMethodHooks", MethodType.methodType(void.class, ObjIntConsumer.class, Runnable.class))
                .invoke(null, null);
    }

    @ParameterizedTest
    @ValueSource(strings = {"runtime", "oom", "soe", "linkage"})
    void aThrowingThreadStartHookNeverReachesTheApplication(String kind) throws Throwable {
        Throwable t = thrown(kind);
        installThreadHooks(thread -> {
            throw sneaky(t);
        }, token -> {
            throw sneaky(t);
        });
        assertThat(beforeThreadStart(new Thread("app"))).isNull();
        afterThreadStart("token"); // does not throw either
        assertThat(insideAgent()).as("the flag is cleared after a failing hook").isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"runtime", "oom", "soe", "linkage"})
    void aThrowingMethodHookNeverReachesTheApplication(String kind) throws Throwable {
        Throwable t = thrown(kind);
        ObjIntConsumer<Object> enter = (value, site) -> {
            throw sneaky(t);
        };
        Runnable exit = () -> {
            throw sneaky(t);
        };
        bridge("installMethodHooks", MethodType.methodType(void.class, ObjIntConsumer.class, Runnable.class)).invoke(enter, exit);
        bridge("methodEnter", MethodType.methodType(void.class, Object.class, int.class)).invoke((Object) "x", 1);
        bridge("methodExit", MethodType.methodType(void.class)).invoke();
        assertThat(insideAgent()).isFalse();
    }

    @Test
    @SuppressWarnings({"deprecation", "removal"})
    void threadDeathPassesTheApplicationAskedForIt() throws Throwable {
        installThreadHooks(thread -> {
            throw new ThreadDeath();
        }, token -> {
            throw new ThreadDeath();
        });
        assertThatThrownBy(() -> beforeThreadStart(new Thread("app"))).isInstanceOf(ThreadDeath.class);
        assertThatThrownBy(() -> afterThreadStart("token")).isInstanceOf(ThreadDeath.class);
        assertThat(insideAgent()).isFalse();
    }

    @Test
    void theAgentsOwnCodeNeverReentersItsHooks() throws Throwable {
        AtomicInteger calls = new AtomicInteger();
        Object[] inner = new Object[1];
        installThreadHooks(thread -> {
            calls.incrementAndGet();
            try {
                inner[0] = beforeThreadStart(new Thread("started by the agent's hook"));
            } catch (Throwable e) {
                throw new AssertionError(e);
            }
            return "outer";
        }, token -> { });
        assertThat(beforeThreadStart(new Thread("app"))).isEqualTo("outer");
        assertThat(calls).as("the hook ran once: the start inside it skipped the hooks").hasValue(1);
        assertThat(inner[0]).isNull();
    }

    @Test
    void withoutHooksNothingHappens() throws Throwable {
        assertThat(beforeThreadStart(new Thread("app"))).isNull();
        afterThreadStart("token");
    }

    @SuppressWarnings("unchecked")
    private static <T extends Throwable> RuntimeException sneaky(Throwable t) throws T {
        throw (T) t;
    }
}
