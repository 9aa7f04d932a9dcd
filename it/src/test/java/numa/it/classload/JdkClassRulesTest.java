package numa.it.classload;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import numa.it.harness.Artifacts;
import numa.it.harness.FakeTopology;
import numa.it.harness.Host;
import numa.it.harness.Jdk;
import numa.it.harness.JvmRun;
import numa.it.harness.OncePerJdk;
import numa.it.harness.RunResult;

/**
 * Rules that name JDK classes the agent itself runs on while it decides: ConcurrentHashMap,
 * CompletableFuture, WeakHashMap, ThreadPoolExecutor (method rules), ForkJoinWorkerThread and
 * every thread class (thread rules). Before the fix, {@code java.util.concurrent.*#*} killed the JVM
 * in premain with StackOverflowError (the hook loads a class, class loading calls
 * ConcurrentHashMap, which calls the hook...), and a narrower rule left JDK threads waiting 30 s
 * for a start-up that waited for them. Now each call is bound like any other, and the agent's own
 * calls and threads are left alone.
 */
class JdkClassRulesTest {
    private static final FakeTopology TOPOLOGY = FakeTopology.onThisMachine();
    private static final String DEVICES = """
            devices:
              source: static
              nodes: [0, 1]
            """;
    private static final List<String> BREAKAGE = List.of("StackOverflowError", "ClassCircularityError", "LinkageError",
            "NoClassDefFoundError", "could not start", "internal error", "took more than");

    private static final OncePerJdk METHOD_RULES = new OncePerJdk(jdk -> JvmRun
            .on(jdk, Artifacts.newRunDir("jdk-method-rules-jdk" + jdk.feature()))
            .sysfs(TOPOLOGY).config(DEVICES + """
                    rules:
                      - name: never-java-lang
                        method: java.lang.Thread#run
                        node: 0
                      - name: chm-calls
                        method: java.util.concurrent.ConcurrentHashMap#computeIfAbsent
                        node: 0
                        bind: call
                      - name: pool-workers
                        method: java.util.concurrent.ThreadPoolExecutor#runWorker
                        node: 1
                      - name: futures
                        method: java.util.concurrent.CompletableFuture#*
                        node: 1
                      - name: weak-maps
                        method: java.util.WeakHashMap#*
                        node: 1
                      - name: all-of-concurrent
                        method: java.util.concurrent.**#*
                        node: 1
                        bind: children
                    """)
            .mainClass(System.getProperty("numa.it.testClasses"), JdkClassesApp.class.getName())
            .run());

    private static final OncePerJdk THREAD_RULES = new OncePerJdk(jdk -> JvmRun
            .on(jdk, Artifacts.newRunDir("jdk-thread-rules-jdk" + jdk.feature()))
            .sysfs(TOPOLOGY).config(DEVICES + """
                    rules:
                      - name: fork-join
                        thread-class: java.util.concurrent.ForkJoinWorkerThread
                        node: 0
                      - name: every-thread
                        thread-class: '**'
                        node: 1
                    """)
            .mainClass(System.getProperty("numa.it.testClasses"), JdkClassesApp.class.getName())
            .run());

    static List<Jdk> jdks() {
        return Jdk.available();
    }

    private static void assertRanCleanly(RunResult run) {
        assertThat(run.exitCode()).as("exit status%s", run).isZero();
        assertThat(run.stdout()).as("the app ran to its end%s", run).contains("done concat-0-");
        for (String word : BREAKAGE) {
            assertThat(run.stderr()).as("no %s%s", word, run).doesNotContain(word);
        }
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void method_rules_on_jdk_classes_the_agent_uses_leave_the_app_running(Jdk jdk) {
        assertRanCleanly(METHOD_RULES.get(jdk));
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void a_call_of_a_jdk_method_is_bound_for_the_call_and_restored(Jdk jdk) {
        RunResult run = METHOD_RULES.get(jdk);
        assertThat(Probes.cpus(run, "chm-in-call")).as("inside computeIfAbsent%s", run).isEqualTo(TOPOLOGY.cpusOf(0));
        assertThat(Probes.cpus(run, "chm-after-call")).as("after it%s", run).isEqualTo(Host.allowedCpuList());
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void callers_of_jdk_methods_are_bound(Jdk jdk) {
        RunResult run = METHOD_RULES.get(jdk);
        assertThat(Probes.cpus(run, "pool-task")).as("ThreadPoolExecutor's worker%s", run).isEqualTo(TOPOLOGY.cpusOf(1));
        assertThat(Probes.cpus(run, "weak-user")).as("a WeakHashMap user%s", run).isEqualTo(TOPOLOGY.cpusOf(1));
        assertThat(Probes.cpus(run, "future-user")).as("a CompletableFuture user%s", run).isEqualTo(TOPOLOGY.cpusOf(1));
        assertThat(run.stderr()).as("%s", run)
                .contains("numa-agent: thread 'jdk-pool-worker' (rule pool-workers, node 1) bound to node 1");
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void a_rule_naming_java_lang_says_it_names_nothing(Jdk jdk) {
        RunResult run = METHOD_RULES.get(jdk);
        assertThat(run.agentWarnings()).as("%s", run).anyMatch(w -> w.contains("rule never-java-lang: classes of java.lang,"
                + " jdk.internal and sun are never instrumented (the agent runs on them); 'java.lang.Thread#run' names only"
                + " overrides and implementations in other packages"));
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void thread_rules_on_jdk_thread_classes_bind_the_apps_threads_only(Jdk jdk) {
        RunResult run = THREAD_RULES.get(jdk);
        assertRanCleanly(run);
        assertThat(Probes.cpus(run, "fork-join-task")).as("ForkJoinWorkerThread%s", run).isEqualTo(TOPOLOGY.cpusOf(0));
        assertThat(Probes.cpus(run, "plain-thread")).as("any thread class%s", run).isEqualTo(TOPOLOGY.cpusOf(1));
        assertThat(Probes.cpus(run, "pool-task")).as("%s", run).isEqualTo(TOPOLOGY.cpusOf(1));
        assertThat(run.agentLines()).as("the agent's own threads are never bound%s", run)
                .noneMatch(l -> l.contains("thread 'numa-agent"));
    }
}
