package numa.it.stress;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * Many threads starting threads at once, with the agent: {@code --starters} threads each run
 * {@code --iterations} iterations of {@link Scenarios} per round, all starting together, for
 * {@code --rounds} rounds. Every started thread checks its CPUs at its first line, every starter
 * checks itself after each start and around each call; after each round (every thread ended) the
 * agent's leftover state is read ({@link AgentState}). A {@link Watchdog} halts a hung run with a
 * thread dump.
 *
 * <p>Output (stdout), one line each: {@code round N threads=.. records=.. bound-entries=..
 * bound-now=.. agent-objects=.. agent-bytes=.. thread-objects=.. live-threads=.. ms=..}, then
 * {@code stress: done threads=.. started-checks=.. starter-checks=.. mismatches=..} and the first
 * mismatches as {@code mismatch ...} lines.
 *
 * <p>Arguments: {@code --node0=CPUS --node1=CPUS} (the fake nodes' CPU lists) and optionally
 * {@code --starters=8 --iterations=40 --rounds=6 --deadline-s=45}.
 */
public final class StressApp {
    private StressApp() {
    }

    public static void main(String[] args) throws Exception {
        String[] node = new String[2];
        int starters = 8;
        int iterations = 40;
        int rounds = 6;
        int deadline = 45;
        for (String a : args) {
            String v = a.substring(a.indexOf('=') + 1);
            switch (a.substring(0, a.indexOf('='))) {
                case "--node0" -> node[0] = v;
                case "--node1" -> node[1] = v;
                case "--starters" -> starters = Integer.parseInt(v);
                case "--iterations" -> iterations = Integer.parseInt(v);
                case "--rounds" -> rounds = Integer.parseInt(v);
                case "--deadline-s" -> deadline = Integer.parseInt(v);
                default -> throw new IllegalArgumentException("unknown argument " + a);
            }
        }
        Watchdog.arm(deadline);
        long t0 = System.nanoTime();
        Affinity check = new Affinity();
        Thread.setDefaultUncaughtExceptionHandler((t, e) -> {
            check.mismatches.incrementAndGet();
            System.out.println("mismatch '" + t.getName() + "' failed: " + e);
            e.printStackTrace(System.out);
        });
        String original = Affinity.ofCurrentThread();
        System.out.println("stress: original=" + original + " node0=" + node[0] + " node1=" + node[1]);
        AgentState state = new AgentState();
        System.out.println("stress: mbean=" + state.awaitMBean(5000));
        Scenarios scenarios = new Scenarios(check, original, node);
        AgentState.Reading last = null;
        for (int round = 1; round <= rounds; round++) {
            long r0 = System.nanoTime();
            long before = scenarios.started.get();
            runRound(scenarios, starters, iterations);
            long ms = (System.nanoTime() - r0) / 1_000_000;
            last = state.read();
            System.out.println("round " + round + " threads=" + (scenarios.started.get() - before)
                    + " records=" + last.threadRecords() + " bound-entries=" + last.boundEntries()
                    + " bound-now=" + last.boundNow() + " agent-objects=" + last.agentObjects()
                    + " agent-bytes=" + last.agentBytes() + " thread-objects=" + last.threadObjects()
                    + " live-threads=" + last.liveThreads() + " heap-kb=" + last.heapUsed() / 1024 + " ms=" + ms);
        }
        if (last != null) {
            System.out.println("stress: agent classes after the last round: " + AgentState.top(last.agentClasses(), 12));
        }
        System.out.println("stress: done threads=" + scenarios.started.get() + " started-checks=" + check.startedChecked.get()
                + " starter-checks=" + check.starterChecked.get() + " mismatches=" + check.mismatches.get()
                + " seconds=" + (System.nanoTime() - t0) / 1_000_000_000.0);
        for (String m : check.firstMismatches()) {
            System.out.println("mismatch " + m);
        }
        System.out.flush();
    }

    /** Every starter starts at once and runs its iterations; returns when every thread has ended. */
    private static void runRound(Scenarios scenarios, int starters, int iterations) throws InterruptedException {
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> all = new ArrayList<>();
        for (int s = 0; s < starters; s++) {
            int id = s;
            Thread starter = new Thread(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < iterations; i++) {
                    scenarios.run((id + i) % Scenarios.KINDS, (id + i / Scenarios.KINDS) % 2, i % 5 == 0);
                }
            }, "stress-starter-" + s);
            starter.start();
            all.add(starter);
        }
        go.countDown();
        Scenarios.join(all.toArray(new Thread[0]));
    }
}
