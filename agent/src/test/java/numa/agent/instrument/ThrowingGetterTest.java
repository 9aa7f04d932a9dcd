package numa.agent.instrument;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import numa.agent.bind.BindingPlanner;
import numa.agent.bind.CallerBinder;
import numa.agent.bind.LinuxBinder;
import numa.agent.config.AgentConfig;
import numa.agent.config.ConfigLoader;
import numa.agent.log.AgentLog;
import numa.agent.rules.RuleTargets;
import numa.agent.topology.CpuSet;
import numa.agent.topology.NumaNode;
import numa.agent.topology.Topology;

/**
 * A method rule reads the application's object ({@code node: arg0.index}) and the application's
 * getter misbehaves: it throws (with a message that changes every time, or an Error, or an
 * exception whose own getMessage() throws) and counts its calls (a side effect). The call is never
 * disturbed, the getter runs exactly once per call (the agent never retries it), and each cause is
 * one warning with its count.
 */
class ThrowingGetterTest {
    private static final LinuxBinder KERNEL = LinuxBinder.load();

    /** The application's device handle: each call of getIndex() counts, then fails as told. */
    public static final class Handle {
        final AtomicInteger calls = new AtomicInteger();
        final RuntimeException failure;
        final Error error;

        Handle(RuntimeException failure, Error error) {
            this.failure = failure;
            this.error = error;
        }

        public int getIndex() {
            int n = calls.incrementAndGet();
            if (error != null) {
                throw error;
            }
            if (failure != null) {
                throw failure;
            }
            throw new IllegalStateException("device handle closed at call " + n); // a new message each time
        }
    }

    /** An exception of the application whose message cannot be read. */
    static final class Unprintable extends RuntimeException {
        @Override
        public String getMessage() {
            throw new UnsupportedOperationException("no message");
        }

        @Override
        public String toString() {
            throw new UnsupportedOperationException("no string");
        }
    }

    private MethodHook hook;
    private int site;

    @BeforeEach
    void setUp() throws Exception {
        AgentLog.reset();
        AgentConfig config = ConfigLoader.parse("getter.yaml", """
                rules:
                  - {name: by-handle, method: 'com.acme.Server#handle(com.acme.Handle)', node: arg0.index, bind: call}
                """);
        CpuSet allowed = KERNEL.getAffinity(0);
        Topology topology = new Topology(List.of(new NumaNode(0, allowed, 1L << 30, 1L << 29, List.of(10))), allowed, "t");
        RuleTargets targets = new RuleTargets(new BindingPlanner(topology, List.of(), config.binding(), allowed, CpuSet::of, null));
        MethodSites sites = new MethodSites();
        site = sites.register(config.rules().get(0), "com.acme.Server", "handle", "(Lcom/acme/Handle;)V", false).id();
        hook = new MethodHook(sites, CompletableFuture.completedFuture(new BindingContext(targets,
                new CallerBinder(KERNEL))), new BoundThreads(), false);
    }

    private void call(Handle h, int times) {
        for (int i = 0; i < times; i++) {
            hook.accept(h, site); // what the advice at the method's entry does: must not throw
            hook.run();
        }
    }

    @Test
    void aGetterThatThrowsWithANewMessageEachTimeIsOneWarningWithItsCount() {
        Handle h = new Handle(null, null);
        call(h, 5);
        assertThat(h.calls).as("the getter ran once per call, never retried").hasValue(5);
        assertThat(AgentLog.recentProblems()).singleElement().asString()
                .contains("rule by-handle").contains("Handle.getIndex() threw java.lang.IllegalStateException")
                .contains("device handle closed at call 1").endsWith("(5 times, logged once)");
        assertThat(CallState.peek().pop()).isNull();
    }

    @Test
    void aGetterThatThrowsAnErrorIsReportedNotPropagated() {
        Handle h = new Handle(null, new StackOverflowError("deep"));
        call(h, 2);
        assertThat(h.calls).hasValue(2);
        assertThat(AgentLog.recentProblems()).singleElement().asString()
                .contains("threw java.lang.StackOverflowError").endsWith("(2 times, logged once)");
    }

    @Test
    void anExceptionWhoseMessageAndStringThrowIsStillReported() {
        Handle h = new Handle(new Unprintable(), null);
        call(h, 3);
        assertThat(h.calls).hasValue(3);
        assertThat(AgentLog.recentProblems()).singleElement().asString()
                .contains("threw " + Unprintable.class.getName()).endsWith("(3 times, logged once)");
    }
}
