package numa.agent.instrument;

import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;

/**
 * Swaps every call of one JDK method, inside the one class being transformed, for a static call of
 * the bridge ({@code java.lang.NumaAgentBridge}) with the same stack effect: the receiver, if any,
 * becomes the bridge method's first argument. One instruction for one, so the constant pool is
 * copied, no offset moves and no frame is recomputed. The Thread and ProcessBuilder rewrites.
 */
final class BridgeCallSwap {
    static final String BRIDGE = "java/lang/NumaAgentBridge";

    /** A rewritten class file (null when nothing matched) and how many calls were swapped. */
    record Result(byte[] classfile, int calls) {
    }

    private final String owner;
    private final String name;
    private final String descriptor;
    /** The call swapped is an instance call (invokevirtual or invokespecial), else invokestatic. */
    private final boolean onInstance;
    private final String bridgeMethod;
    private final String bridgeDescriptor;

    BridgeCallSwap(String owner, String name, String descriptor, boolean onInstance, String bridgeMethod,
                   String bridgeDescriptor) {
        this.owner = owner;
        this.name = name;
        this.descriptor = descriptor;
        this.onInstance = onInstance;
        this.bridgeMethod = bridgeMethod;
        this.bridgeDescriptor = bridgeDescriptor;
    }

    Result rewrite(byte[] classfile) {
        ClassReader reader = new ClassReader(classfile);
        ClassWriter writer = new ClassWriter(reader, 0);
        int[] count = {0};
        reader.accept(new ClassVisitor(Opcodes.ASM9, writer) {
            @Override
            public MethodVisitor visitMethod(int access, String mName, String mDescriptor, String signature, String[] exceptions) {
                MethodVisitor mv = super.visitMethod(access, mName, mDescriptor, signature, exceptions);
                return new MethodVisitor(Opcodes.ASM9, mv) {
                    @Override
                    public void visitMethodInsn(int opcode, String callOwner, String callName, String callDesc, boolean itf) {
                        if (matches(opcode, callOwner, callName, callDesc)) {
                            count[0]++;
                            super.visitMethodInsn(Opcodes.INVOKESTATIC, BRIDGE, bridgeMethod, bridgeDescriptor, false);
                        } else {
                            super.visitMethodInsn(opcode, callOwner, callName, callDesc, itf);
                        }
                    }
                };
            }
        }, 0);
        return new Result(count[0] == 0 ? null : writer.toByteArray(), count[0]);
    }

    private boolean matches(int opcode, String callOwner, String callName, String callDesc) {
        boolean rightKind = onInstance ? opcode == Opcodes.INVOKEVIRTUAL || opcode == Opcodes.INVOKESPECIAL
                : opcode == Opcodes.INVOKESTATIC;
        return rightKind && owner.equals(callOwner) && name.equals(callName) && descriptor.equals(callDesc);
    }
}
