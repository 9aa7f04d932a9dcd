package numa.agent.instrument;

import java.lang.instrument.ClassFileTransformer;
import java.security.ProtectionDomain;

/**
 * Rewrites every {@code start0()} call inside {@code java.lang.Thread} into
 * {@code NumaAgentBridge.start0(thread)}, which binds the calling thread around the OS thread's
 * creation (see the bridge). Every JDK start path goes through {@code start0}: {@code start()},
 * and on JDK 21+ {@code start(ThreadContainer)} used by executors and structured concurrency.
 * Virtual threads never call it.
 *
 * <p>Plain ASM (ByteBuddy's copy) rather than ByteBuddy's {@code AgentBuilder}: measured in
 * DESIGN.md, the builder costs ~450 ms of start-up, this ~30 ms. One instruction is replaced by one
 * with the same stack effect, so the constant pool is copied and no frame is recomputed.
 * {@link Hooks#install} registers it and retransforms Thread (with whatever else is due at start, in
 * one VM operation). It stays registered: whoever retransforms Thread later (Mockito mocking a Thread
 * subclass, another agent) gets the rewrite applied again, instead of a Thread without it.
 */
public final class ThreadStartTransformer implements ClassFileTransformer {
    static final String THREAD = "java/lang/Thread";

    /** {@code thread.start0()} becomes {@code NumaAgentBridge.start0(thread)}. */
    private static final BridgeCallSwap START0 = new BridgeCallSwap(THREAD, "start0", "()V", true, "start0",
            "(Ljava/lang/Thread;)V");

    private volatile int rewrittenCalls;

    /** How many {@code start0()} calls were redirected (2 on JDK 21+, 1 on 17). */
    public int rewrittenCalls() {
        return rewrittenCalls;
    }

    @Override
    public byte[] transform(Module module, ClassLoader loader, String className, Class<?> redefined,
                            ProtectionDomain domain, byte[] classfile) {
        if (!THREAD.equals(className) || loader != null) {
            return null;
        }
        try {
            return rewrite(classfile);
        } catch (Throwable t) {
            // a transformer that throws is silently ignored by the JVM; Hooks.install reports the zero count
            return null;
        }
    }

    byte[] rewrite(byte[] classfile) {
        BridgeCallSwap.Result r = START0.rewrite(classfile);
        rewrittenCalls = r.calls();
        return r.classfile();
    }
}
