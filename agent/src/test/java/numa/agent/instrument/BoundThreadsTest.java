package numa.agent.instrument;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * The bound-thread map follows the live bound threads even where the application keeps its ended
 * {@code Thread} objects (weak keys alone would keep their entries), and never drops a thread
 * registered just before it starts.
 */
class BoundThreadsTest {
    private static Thread ended(String name) throws InterruptedException {
        Thread t = new Thread(() -> { }, name);
        t.start();
        t.join();
        return t;
    }

    @Test
    void entries_of_ended_threads_still_referenced_are_swept_as_the_map_grows() throws InterruptedException {
        BoundThreads bound = new BoundThreads();
        List<Thread> keptByTheApplication = new ArrayList<>();
        for (int i = 0; i < 5 * BoundThreads.SWEEP_MIN; i++) {
            Thread t = ended("worker-" + i);
            keptByTheApplication.add(t);
            bound.put(t, "workers");
            assertThat(bound.getAsInt()).as("entries after %d ended threads", i + 1).isLessThanOrEqualTo(BoundThreads.SWEEP_MIN);
        }
        assertThat(keptByTheApplication).hasSize(5 * BoundThreads.SWEEP_MIN);
    }

    @Test
    void a_sweep_keeps_threads_not_yet_started_and_threads_running() throws InterruptedException {
        BoundThreads bound = new BoundThreads();
        Thread notYetStarted = new Thread(() -> { }, "about-to-start");
        Object gate = new Object();
        Thread running = new Thread(() -> {
            synchronized (gate) {
                try {
                    gate.wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }, "running");
        running.setDaemon(true);
        running.start();
        bound.put(notYetStarted, "workers");
        bound.put(running, "call-rule");
        List<Thread> kept = new ArrayList<>();
        for (int i = 0; i < 2 * BoundThreads.SWEEP_MIN; i++) { // several sweeps
            Thread t = ended("worker-" + i);
            kept.add(t);
            bound.put(t, "workers");
        }
        assertThat(bound.ruleOf(notYetStarted)).isEqualTo("workers");
        assertThat(bound.ruleOf(running)).isEqualTo("call-rule");
        running.interrupt();
    }
}
