package numa.agent.instrument;

import java.lang.instrument.ClassFileTransformer;
import java.security.ProtectionDomain;

import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;

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
 * one VM operation). It stays registered: a later retransformation of Thread by anyone starts again
 * from the JDK's bytes, and only a registered transformer puts the rewrite back.
 */
public final class ThreadStartTransformer implements ClassFileTransformer {
    static final String THREAD = "java/lang/Thread";
    static final String BRIDGE = "java/lang/NumaAgentBridge";

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
                        if (THREAD.equals(owner) && "start0".equals(mName) && "()V".equals(mDesc)
                                && (opcode == Opcodes.INVOKEVIRTUAL || opcode == Opcodes.INVOKESPECIAL)) {
                            count[0]++;
                            super.visitMethodInsn(Opcodes.INVOKESTATIC, BRIDGE, "start0", "(Ljava/lang/Thread;)V", false);
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
