package numa.it.stress;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;

/**
 * Fails the run when it does not finish in time: a hang (a deadlock in a hook, a starter that
 * never gets its thread started) must be a failure with a story, not a test that waits forever.
 * Prints the deadlocked threads the JVM finds and every thread's stack with the lock it waits on,
 * then halts with status {@value #EXIT}.
 */
final class Watchdog {
    static final int EXIT = 3;

    private Watchdog() {
    }

    /** Starts the watchdog: a daemon that halts the JVM {@code seconds} from now unless it has ended. */
    static void arm(int seconds) {
        Thread dog = new Thread(() -> {
            try {
                Thread.sleep(seconds * 1000L);
            } catch (InterruptedException e) {
                return;
            }
            System.out.println("stress: WATCHDOG: not done after " + seconds + " s: hung; thread dump follows");
            dump();
            System.out.flush();
            Runtime.getRuntime().halt(EXIT);
        }, "stress-watchdog");
        dog.setDaemon(true);
        dog.start();
    }

    private static void dump() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long[] deadlocked = threads.findDeadlockedThreads();
        System.out.println("stress: deadlocked threads: " + (deadlocked == null ? "none" : deadlocked.length));
        for (ThreadInfo info : threads.dumpAllThreads(true, true)) {
            System.out.println("\"" + info.getThreadName() + "\" " + info.getThreadState()
                    + (info.getLockName() == null ? "" : " on " + info.getLockName())
                    + (info.getLockOwnerName() == null ? "" : " owned by \"" + info.getLockOwnerName() + "\""));
            for (StackTraceElement frame : info.getStackTrace()) {
                System.out.println("\tat " + frame);
            }
        }
    }
}
