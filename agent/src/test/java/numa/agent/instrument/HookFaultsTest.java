package numa.agent.instrument;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import numa.agent.bind.Binder;
import numa.agent.bind.BindingPlanner;
import numa.agent.bind.CallerBinder;
import numa.agent.bind.LinuxBinder;
import numa.agent.bind.MemPolicy;
import numa.agent.config.AgentConfig;
import numa.agent.config.ConfigLoader;
import numa.agent.config.Rule;
import numa.agent.log.AgentLog;
import numa.agent.rules.ProcessRules;
import numa.agent.rules.RuleTargets;
import numa.agent.rules.ThreadRules;
import numa.agent.testing.FaultyBinder;
import numa.agent.testing.FaultyBinder.Call;
import numa.agent.testing.FaultyBinder.Fault;
import numa.agent.topology.CpuSet;
import numa.agent.topology.NumaNode;
import numa.agent.topology.Topology;

/**
 * Faults injected through the Binder interface into every binding call, under the thread, method
 * and process hooks: the kernel refusing (EPERM), a RuntimeException, an OutOfMemoryError and a
 * SecurityException, each in sched_getaffinity, sched_setaffinity, get_mempolicy and set_mempolicy.
 * Each time: nothing escapes the hook, the calling thread is exactly as it was (checked in the
 * kernel), and the failure is one problem line that says how many times it happened.
 */
class HookFaultsTest {
    private static final LinuxBinder KERNEL = LinuxBinder.load();
    private static final int TIMES = 3;

    private static final AgentConfig CONFIG = config();
    private static final Rule CALL_RULE = CONFIG.rules().get(1);
    private static final Rule CALLER_RULE = CONFIG.rules().get(2);

    private static AgentConfig config() {
        try {
            return ConfigLoader.parse("faults.yaml", """
                    rules:
                      - {name: victims, thread: 'victim-.*', node: 0}
                      - {name: calls, method: 'com.acme.Server#handle', node: 0, bind: call}
                      - {name: callers, method: 'com.acme.Server#serve', node: 0, bind: caller}
                      - {name: spawns, process: '/bin/true.*', node: 0}
                    """);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Node 0 owns one CPU this JVM may use (and node 0's memory, which every Linux has), node 1 another. */
    private static RuleTargets targets() throws Exception {
        CpuSet allowed = KERNEL.getAffinity(0);
        int[] cpus = allowed.toArray();
        Topology topology = new Topology(List.of(
                new NumaNode(0, CpuSet.of(cpus[0]), 1L << 30, 1L << 29, List.of(10, 20)),
                new NumaNode(1, CpuSet.of(cpus[cpus.length - 1]), 1L << 30, 1L << 29, List.of(20, 10))), allowed, "test");
        return new RuleTargets(new BindingPlanner(topology, List.of(), CONFIG.binding(), allowed, CpuSet::of, null));
    }

    private static CompletableFuture<BindingContext> ready(Binder binder) throws Exception {
        return CompletableFuture.completedFuture(new BindingContext(targets(), new CallerBinder(binder)));
    }

    static Stream<Arguments> everyFaultInEveryCall() {
        List<Arguments> all = new ArrayList<>();
        for (Call c : Call.values()) {
            for (Fault f : Fault.values()) {
                all.add(Arguments.of(c, f));
            }
        }
        return all.stream();
    }

    /** What the kernel says of the calling thread. */
    private record State(CpuSet cpus, MemPolicy memory) {
        static State now() throws Exception {
            return new State(KERNEL.getAffinity(0), KERNEL.getMemPolicy());
        }
    }

    @BeforeEach
    void forgetEarlierReports() {
        AgentLog.reset();
    }

    @ParameterizedTest(name = "{1} in {0}")
    @MethodSource("everyFaultInEveryCall")
    void threadStart(Call call, Fault fault) throws Throwable {
        ThreadStartHook hook = new ThreadStartHook(new ThreadRules(CONFIG.rules()),
                ready(new FaultyBinder(KERNEL, call, fault, 1)), numa.agent.config.BindingConfig.Children.RESET, false);
        onFreshThread(() -> {
            State before = State.now();
            for (int i = 0; i < TIMES; i++) {
                Object token = hook.apply(new Thread(() -> { }, "victim-" + i)); // must not throw
                if (token != null) {
                    hook.accept(token);
                }
                assertThat(State.now()).as("the starter after start %d", i).isEqualTo(before);
            }
        });
        assertReportedOnce(call, fault);
    }

    @ParameterizedTest(name = "{1} in {0}")
    @MethodSource("everyFaultInEveryCall")
    void methodCall(Call call, Fault fault) throws Throwable {
        MethodSites sites = new MethodSites();
        int site = sites.register(CALL_RULE, "com.acme.Server", "handle", "()V", false).id();
        MethodHook hook = new MethodHook(sites, ready(new FaultyBinder(KERNEL, call, fault, 1)), new BoundThreads(), false);
        onFreshThread(() -> {
            State before = State.now();
            for (int i = 0; i < TIMES; i++) {
                hook.accept(null, site); // must not throw
                hook.run();
                assertThat(State.now()).as("the caller after call %d", i).isEqualTo(before);
            }
            assertThat(CallState.peek().pop()).as("every entry's frame was popped by its exit").isNull();
        });
        assertReportedOnce(call, fault);
    }

    @ParameterizedTest(name = "{1} in {0}")
    @MethodSource("everyFaultInEveryCall")
    void methodCaller(Call call, Fault fault) throws Throwable {
        MethodSites sites = new MethodSites();
        int site = sites.register(CALLER_RULE, "com.acme.Server", "serve", "()V", false).id();
        MethodHook hook = new MethodHook(sites, ready(new FaultyBinder(KERNEL, call, fault, 1)), new BoundThreads(), false);
        // bind: caller never reads the memory policy (it sets it for good)
        boolean neverAsked = call == Call.GET_MEMPOLICY;
        boolean cpusOnly = fault == Fault.REFUSED && call == Call.SET_MEMPOLICY;
        onFreshThread(() -> {
            State before = State.now();
            CpuSet node0 = targets().planner().forNode(0).binding().cpus();
            for (int i = 0; i < TIMES; i++) {
                hook.accept(null, site);
                hook.run();
                if (neverAsked || cpusOnly) {
                    assertThat(State.now().cpus()).as("bound for good, after call %d", i).isEqualTo(node0);
                } else {
                    assertThat(State.now()).as("a caller the agent failed to bind, after call %d", i).isEqualTo(before);
                }
            }
            assertThat(CallState.peek().pop()).isNull();
        });
        if (neverAsked) {
            assertThat(AgentLog.recentProblems()).isEmpty();
        } else {
            assertReportedOnce(call, fault);
        }
    }

    @ParameterizedTest(name = "{1} in {0}")
    @MethodSource("everyFaultInEveryCall")
    void processStart(Call call, Fault fault) throws Throwable {
        ProcessStartHook hook = new ProcessStartHook(new ProcessRules(CONFIG.rules()),
                ready(new FaultyBinder(KERNEL, call, fault, 1)), new BoundThreads(),
                numa.agent.config.BindingConfig.Children.RESET, false);
        onFreshThread(() -> {
            State before = State.now();
            for (int i = 0; i < TIMES; i++) {
                Object token = hook.apply(new String[] {"/bin/true", String.valueOf(i)});
                if (token instanceof Supplier<?> inherited) {
                    inherited.get(); // what the bridge asks for the child's environment
                }
                if (token != null) {
                    hook.accept(token);
                }
                assertThat(State.now()).as("the spawning thread after spawn %d", i).isEqualTo(before);
            }
        });
        assertReportedOnce(call, fault);
    }

    /**
     * The kernel refuses to give the starter its CPUs back (or the binder fails there): its memory
     * policy is still put back, nothing escapes, and the failure is reported.
     */
    @ParameterizedTest
    @EnumSource(Fault.class)
    void aRestoreThatFailsForTheCpusStillRestoresTheMemoryPolicy(Fault fault) throws Throwable {
        FaultyBinder binder = new FaultyBinder(KERNEL, Call.SET_AFFINITY, fault, 2); // the bind's call passes
        ThreadStartHook hook = new ThreadStartHook(new ThreadRules(CONFIG.rules()), ready(binder),
                numa.agent.config.BindingConfig.Children.RESET, false);
        onFreshThread(() -> {
            State before = State.now();
            Object token = hook.apply(new Thread(() -> { }, "victim-0"));
            assertThat(token).as("bound").isNotNull();
            hook.accept(token);
            assertThat(KERNEL.getMemPolicy()).isEqualTo(before.memory());
            KERNEL.setAffinity(0, before.cpus());
        });
        assertThat(AgentLog.recentProblems()).singleElement().asString()
                .contains(fault == Fault.REFUSED ? "could not restore" : "internal error after a thread start");
    }

    /**
     * What a fault becomes: a refused memory policy is not asked for again (one occurrence, CPUs
     * still bound); every other fault happens at each of the {@value #TIMES} events, logged once.
     */
    private static void assertReportedOnce(Call call, Fault fault) {
        List<String> problems = AgentLog.recentProblems();
        assertThat(problems).as("problems").hasSize(1);
        boolean memoryRefused = fault == Fault.REFUSED && (call == Call.GET_MEMPOLICY || call == Call.SET_MEMPOLICY);
        if (memoryRefused) {
            assertThat(problems.get(0)).contains("memory polic").doesNotContain("times, logged once");
        } else {
            assertThat(problems.get(0)).contains(fault == Fault.REFUSED ? "EPERM" : fault.type().getName())
                    .endsWith("(" + TIMES + " times, logged once)");
        }
        assertThat(AgentLog.repeatSummary()).hasSize(memoryRefused ? 0 : 1);
    }

    interface Body {
        void run() throws Exception;
    }

    /** Binding calls act on the calling thread: each case gets a thread of its own. */
    private static void onFreshThread(Body body) throws Throwable {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                body.run();
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        t.start();
        t.join();
        if (failure.get() != null) {
            throw failure.get();
        }
    }
}
