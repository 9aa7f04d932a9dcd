package numa.agent.instrument;

import java.lang.instrument.ClassFileTransformer;
import java.security.ProtectionDomain;

import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;

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
        ClassReader reader = new ClassReader(classfile);
        ClassWriter writer = new ClassWriter(reader, 0);
        int[] count = {0};
        reader.accept(new ClassVisitor(Opcodes.ASM9, writer) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] exceptions) {
                MethodVisitor mv = super.visitMethod(access, name, descriptor, signature, exceptions);
                return new MethodVisitor(Opcodes.ASM9, mv) {
                    @Override
                    public void visitMethodInsn(int opcode, String owner, String mName, String mDesc, boolean itf) {
                        if (opcode == Opcodes.INVOKESTATIC && PROCESS_IMPL.equals(owner) && "start".equals(mName)
                                && START_DESCRIPTOR.equals(mDesc)) {
                            count[0]++;
                            super.visitMethodInsn(Opcodes.INVOKESTATIC, ThreadStartTransformer.BRIDGE, "processStart",
                                    START_DESCRIPTOR, false);
                        } else {
                            super.visitMethodInsn(opcode, owner, mName, mDesc, itf);
                        }
                    }
                };
            }
        }, 0);
        rewrittenCalls = count[0];
        return count[0] == 0 ? null : writer.toByteArray();
    }
}
