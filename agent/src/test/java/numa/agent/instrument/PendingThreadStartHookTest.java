package numa.agent.instrument;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Function;

import org.junit.jupiter.api.Test;

import numa.agent.bind.BindingPlanner;
import numa.agent.config.AgentConfig;
import numa.agent.config.BindingConfig;
import numa.agent.config.ConfigLoader;
import numa.agent.rules.RuleTargets;
import numa.agent.rules.ThreadRules;
import numa.agent.topology.CpuSet;
import numa.agent.topology.NumaNode;
import numa.agent.topology.Topology;

/**
 * The hook in the bridge while the config is read in the background: a thread starting meanwhile
 * waits and is then decided by the real hook; the background thread itself never waits for itself.
 */
class PendingThreadStartHookTest {
    private static ThreadStartHook dryRunHook(BoundThreads bound) throws Exception {
        AgentConfig c = ConfigLoader.parse("t.yaml", "rules:\n  - name: workers\n    thread: \"w-\\\\d+\"\n    node: 0\n");
        Topology topology = new Topology(List.of(new NumaNode(0, CpuSet.parse("0-1"), 1L << 30, 1L << 29, List.of())),
                CpuSet.parse("0-1"), "test");
        RuleTargets targets = new RuleTargets(new BindingPlanner(topology, List.of(), c.binding(), CpuSet.parse("0-1"),
                CpuSet::of, null));
        CompletableFuture<BindingContext> ready = CompletableFuture.completedFuture(new BindingContext(targets, null));
        return new ThreadStartHook(new ThreadRules(c.rules()), ready, BindingConfig.Children.RESET, true, bound, false);
    }

    @Test
    void aThreadStartingMeanwhileWaitsThenTheRealHookDecides() throws Exception {
        CompletableFuture<ThreadStartHook> real = new CompletableFuture<>();
        PendingThreadStartHook pending = new PendingThreadStartHook(real);
        BoundThreads bound = new BoundThreads();
        Thread worker = new Thread(() -> { }, "w-1");
        AtomicReference<Object> token = new AtomicReference<>("not yet");
        Thread starter = new Thread(() -> token.set(pending.apply(worker)), "starter");
        starter.start();
        starter.join(300);
        assertThat(starter.isAlive()).as("waits while the config is read").isTrue();
        assertThat(token.get()).isEqualTo("not yet");

        real.complete(dryRunHook(bound));
        starter.join(TimeUnit.SECONDS.toMillis(30));
        assertThat(starter.isAlive()).isFalse();
        assertThat(token.get()).isNull(); // dry-run: decided and recorded, nothing to restore
        assertThat(bound.ruleOf(worker)).as("the real hook matched it").isEqualTo("workers");
    }

    @Test
    void nothingToBindLeavesThreadsAlone() throws Exception {
        PendingThreadStartHook pending = new PendingThreadStartHook(CompletableFuture.completedFuture(null));
        assertThat(pending.apply(new Thread(() -> { }, "w-1"))).isNull();
        pending.accept(new Object()); // no hook: nothing to give it to, nothing thrown
    }

    /** java.lang.NumaAgentBridge, patched into java.base for the tests' JVM but not visible to their compiler. */
    private static MethodHandle bridge(String name, MethodType type) throws ReflectiveOperationException {
        return MethodHandles.publicLookup().findStatic(Class.forName("java.lang.NumaAgentBridge"), name, type);
    }

    @Test
    void theBackgroundThreadNeverWaitsForItself() throws Throwable {
        // as at run time: the pending hook is the bridge's, and the agent's background thread runs
        // as the agent's code (startInternal marks it), so what it starts never reaches a hook
        MethodHandle install = bridge("installThreadStartHooks",
                MethodType.methodType(void.class, Function.class, Consumer.class));
        MethodHandle enterAgent = bridge("enterAgent", MethodType.methodType(boolean.class));
        MethodHandle beforeThreadStart = bridge("beforeThreadStart", MethodType.methodType(Object.class, Thread.class));
        CompletableFuture<ThreadStartHook> real = new CompletableFuture<>();
        PendingThreadStartHook pending = new PendingThreadStartHook(real);
        install.invoke((Function<Thread, Object>) pending, (Consumer<Object>) pending);
        try {
            AtomicReference<Object> token = new AtomicReference<>("not yet");
            Thread background = new Thread(() -> {
                try {
                    enterAgent.invoke();
                    token.set(beforeThreadStart.invoke(new Thread(() -> { }, "w-2"))); // e.g. JNA's cleaner thread
                } catch (Throwable t) {
                    token.set(t);
                }
            }, "numa-agent-init");
            background.start();
            background.join(TimeUnit.SECONDS.toMillis(20));
            assertThat(background.isAlive()).as("would wait for the future it completes").isFalse();
            assertThat(token.get()).isNull();
        } finally {
            install.invoke((Function<Thread, Object>) null, (Consumer<Object>) null);
        }
    }

    @Test
    void anAgentThreadOthersStartNeverWaits() throws Exception {
        PendingThreadStartHook pending = new PendingThreadStartHook(new CompletableFuture<>());
        Thread exitWait = new Thread(() -> { }, "numa-agent-exit");
        ThreadStartHook.agentThread(exitWait);
        try {
            Thread starter = new Thread(() -> pending.apply(exitWait), "shutdown");
            starter.start();
            starter.join(TimeUnit.SECONDS.toMillis(20));
            assertThat(starter.isAlive()).as("would wait 30 s for a future nobody completes").isFalse();
        } finally {
            ThreadStartHook.forgetAgentThread(exitWait);
        }
    }
}
