package numa.agent.observe;

/**
 * Hands each binding to JFR as a {@code numa.agent.Binding} event, at no cost while JFR is not in
 * use: the event class (and with it the JFR event machinery) is only loaded once JFR has been
 * started in this JVM ({@code -XX:StartFlightRecording}, {@code jcmd PID JFR.start}, the
 * {@code jdk.jfr} API). Until then each binding costs one volatile read here.
 *
 * <p>Measured (docs/operations.md): loading a JFR event class costs a JVM that does not use JFR
 * tens of milliseconds and several MiB; a committed event costs well under a microsecond.
 */
final class JfrBindings {
    /** False where the runtime has no jdk.jfr module (a jlinked image without it). */
    private static final boolean AVAILABLE = ModuleLayer.boot().findModule("jdk.jfr").isPresent();
    private static volatile boolean broken;

    private JfrBindings() {
    }

    /** Emits the event for {@code r} when JFR runs; null only checks (warm-up). */
    static void emit(BindingRecord r) {
        if (!AVAILABLE || broken) {
            return;
        }
        try {
            if (Jfr.initialized() && r != null) {
                BindingEvent.emit(r);
            }
        } catch (Throwable t) {
            broken = true; // never again on the thread-start path; the MBean still has it
        }
    }

    /** Holder: loads {@code jdk.jfr.FlightRecorder} (one small class) only on the first binding. */
    private static final class Jfr {
        static boolean initialized() {
            return jdk.jfr.FlightRecorder.isInitialized();
        }
    }
}
