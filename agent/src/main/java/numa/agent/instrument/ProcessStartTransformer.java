package numa.agent.instrument;

import java.lang.instrument.ClassFileTransformer;
import java.security.ProtectionDomain;

import numa.agent.log.AgentLog;

/**
 * Rewrites the call of {@code ProcessImpl.start(String[], Map, String, Redirect[], boolean)} inside
 * {@code java.lang.ProcessBuilder} into {@code NumaAgentBridge.processStart} with the same
 * descriptor, which binds the calling thread around the child's creation (see the bridge). Every
 * way of starting a process goes through it: {@code ProcessBuilder.start()},
 * {@code ProcessBuilder.startPipeline}, {@code Runtime.exec}. Checked with javap on JDK 17 and 25:
 * one such call. As for Thread, one instruction is swapped for one of the same stack effect.
 */
public final class ProcessStartTransformer implements ClassFileTransformer {
    static final String PROCESS_BUILDER = "java/lang/ProcessBuilder";
    static final String PROCESS_IMPL = "java/lang/ProcessImpl";
    static final String START_DESCRIPTOR = "([Ljava/lang/String;Ljava/util/Map;Ljava/lang/String;"
            + "[Ljava/lang/ProcessBuilder$Redirect;Z)Ljava/lang/Process;";

    /** {@code ProcessImpl.start(...)} becomes {@code NumaAgentBridge.processStart(...)}, same descriptor. */
    private static final BridgeCallSwap START = new BridgeCallSwap(PROCESS_IMPL, "start", START_DESCRIPTOR, false,
            "processStart", START_DESCRIPTOR);

    private volatile int rewrittenCalls;

    /**
     * Registered for good: ProcessBuilder is usually not loaded at premain (an application that
     * never starts a process never pays for the rewrite); when it is, the agent retransforms it.
     */
    public ProcessStartTransformer() {
    }

    /** How many {@code ProcessImpl.start} calls were redirected. */
    public int rewrittenCalls() {
        return rewrittenCalls;
    }

    @Override
    public byte[] transform(Module module, ClassLoader loader, String className, Class<?> redefined,
                            ProtectionDomain domain, byte[] classfile) {
        if (!PROCESS_BUILDER.equals(className) || loader != null) {
            return null;
        }
        byte[] rewritten = null;
        boolean was = NumaAgentBridge.enterAgent(); // see MethodTransformer.transform
        try {
            rewritten = rewrite(classfile);
        } catch (Throwable t) {
            // reported below
        }
        try {
            if (rewritten == null) {
                AgentLog.warnOnce(AgentLog.logger("instrument"), "process-builder", "java.lang.ProcessBuilder of this JDK"
                        + " ({}) has no ProcessImpl.start call to intercept: spawned processes cannot be bound",
                        Runtime.version());
            }
        } finally {
            NumaAgentBridge.exitAgent(was);
        }
        return rewritten;
    }

    byte[] rewrite(byte[] classfile) {
        BridgeCallSwap.Result r = START.rewrite(classfile);
        rewrittenCalls = r.calls();
        return r.classfile();
    }
}
