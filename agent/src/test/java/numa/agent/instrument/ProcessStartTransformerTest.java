package numa.agent.instrument;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;

/** The rewrite on the running JDK's own java.lang.ProcessBuilder bytes. */
class ProcessStartTransformerTest {
    private static final String IMPL_START = "java/lang/ProcessImpl.start" + ProcessStartTransformer.START_DESCRIPTOR;
    private static final String BRIDGE_START = "java/lang/NumaAgentBridge.processStart"
            + ProcessStartTransformer.START_DESCRIPTOR;

    private static byte[] processBuilderBytes() throws Exception {
        try (InputStream in = Object.class.getResourceAsStream("/java/lang/ProcessBuilder.class")) {
            return in.readAllBytes();
        }
    }

    private static List<String> calls(byte[] classfile) {
        List<String> calls = new ArrayList<>();
        new ClassReader(classfile).accept(new ClassVisitor(Opcodes.ASM9) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String desc, String sig, String[] ex) {
                return new MethodVisitor(Opcodes.ASM9) {
                    @Override
                    public void visitMethodInsn(int op, String owner, String n, String d, boolean itf) {
                        calls.add(owner + "." + n + d);
                    }
                };
            }
        }, 0);
        return calls;
    }

    @Test
    void theProcessImplStartCallGoesThroughTheBridgeWithTheSameDescriptor() throws Exception {
        byte[] original = processBuilderBytes();
        List<String> before = calls(original);
        assertThat(before).containsOnlyOnce(IMPL_START);

        ProcessStartTransformer t = new ProcessStartTransformer();
        byte[] rewritten = t.transform(null, null, "java/lang/ProcessBuilder", null, null, original);

        assertThat(t.rewrittenCalls()).isEqualTo(1);
        List<String> after = calls(rewritten);
        assertThat(after).doesNotContain(IMPL_START).containsOnlyOnce(BRIDGE_START).hasSameSizeAs(before);
        for (int i = 0; i < before.size(); i++) {
            if (!before.get(i).equals(IMPL_START)) {
                assertThat(after.get(i)).isEqualTo(before.get(i));
            }
        }
    }

    @Test
    void otherClassesAndOtherLoadersAreLeftAlone() throws Exception {
        ProcessStartTransformer t = new ProcessStartTransformer();
        assertThat(t.transform(null, null, "java/lang/Object", null, null, processBuilderBytes())).isNull();
        assertThat(t.transform(null, getClass().getClassLoader(), "java/lang/ProcessBuilder", null, null,
                processBuilderBytes())).isNull();
    }

    /** The bridge's method must have exactly ProcessImpl.start's descriptor: the stack shape stays the JDK's. */
    @Test
    void theBridgeDeclaresProcessStartWithThatDescriptor() throws Exception {
        byte[] bridge; // the bootstrap module is on the test class path (provided scope)
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("java/lang/NumaAgentBridge.class")) {
            bridge = in.readAllBytes();
        }
        List<String> methods = new ArrayList<>();
        new ClassReader(bridge).accept(new ClassVisitor(Opcodes.ASM9) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String desc, String sig, String[] ex) {
                if ((access & Opcodes.ACC_STATIC) != 0 && (access & Opcodes.ACC_PUBLIC) != 0) {
                    methods.add(name + desc);
                }
                return null;
            }
        }, 0);
        assertThat(methods).contains("processStart" + ProcessStartTransformer.START_DESCRIPTOR,
                "methodEnter(Ljava/lang/Object;I)V", "methodExit()V");
    }
}
