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

/** The rewrite on the running JDK's own java.lang.Thread bytes. */
class ThreadStartTransformerTest {
    private static byte[] threadBytes() throws Exception {
        try (InputStream in = Object.class.getResourceAsStream("/java/lang/Thread.class")) {
            return in.readAllBytes();
        }
    }

    /** "owner.name" of every call in a class, in order. */
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
    void everyStart0CallGoesThroughTheBridgeAndNothingElseChanges() throws Exception {
        byte[] original = threadBytes();
        List<String> before = calls(original);
        long start0Calls = before.stream().filter("java/lang/Thread.start0()V"::equals).count();
        assertThat(start0Calls).isGreaterThanOrEqualTo(1);

        ThreadStartTransformer t = new ThreadStartTransformer();
        byte[] rewritten = t.transform(null, null, "java/lang/Thread", null, null, original);

        assertThat(t.rewrittenCalls()).isEqualTo((int) start0Calls);
        List<String> after = calls(rewritten);
        assertThat(after).doesNotContain("java/lang/Thread.start0()V");
        assertThat(after.stream().filter("java/lang/NumaAgentBridge.start0(Ljava/lang/Thread;)V"::equals).count())
                .isEqualTo(start0Calls);
        assertThat(after).hasSameSizeAs(before);
        for (int i = 0; i < before.size(); i++) {
            if (!before.get(i).equals("java/lang/Thread.start0()V")) {
                assertThat(after.get(i)).isEqualTo(before.get(i));
            }
        }
    }

    @Test
    void otherClassesAndOtherLoadersAreLeftAlone() throws Exception {
        ThreadStartTransformer t = new ThreadStartTransformer();
        assertThat(t.transform(null, null, "java/lang/Object", null, null, threadBytes())).isNull();
        assertThat(t.transform(null, getClass().getClassLoader(), "java/lang/Thread", null, null, threadBytes())).isNull();
    }
}
