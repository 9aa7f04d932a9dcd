package numa.agent.instrument;

import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;

import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;

import numa.agent.config.Expr;
import numa.agent.config.Rule;
import numa.agent.log.AgentLog;
import numa.agent.rules.MethodRules;

/**
 * Instruments the methods that {@code method} rules name, as their classes load, and (at start or
 * attach) the classes already loaded, by retransformation.
 *
 * <p>The class-load path is the application's start-up time, so it is kept to what one class costs
 * to look at, not what a bytecode framework costs to load:
 * <ol>
 * <li>the JVM's internal class name against each rule's class glob (a literal prefix, then a regex);
 * JDK classes are skipped by name unless a glob could name one;</li>
 * <li>for "implementations match" (the rule names an interface or a superclass), only classes that
 * declare a method of a rule's name look at their supertypes ({@link TypeHierarchy});</li>
 * <li>a class with a match is rewritten with plain ASM (ByteBuddy's shaded copy, already loaded for
 * Thread): no ByteBuddy {@code AgentBuilder} or {@code Advice} (~450 ms and ~1,600 classes), no
 * frame computation, no new local variable.</li>
 * </ol>
 *
 * <p>Each matched method gets {@code NumaAgentBridge.methodEnter(value, site)} before its first
 * instruction ({@code value}: the one value of the call the rule's expression reads, boxed, or
 * null), {@code NumaAgentBridge.methodExit()} before each return, and a catch-all handler at the end
 * that calls {@code methodExit()} and rethrows. The handler's stack map frame declares no locals
 * (every local is assignable to top) and one Throwable, so no other frame changes: the method's
 * frames, exception table (ours comes last, so the application's own handlers still run first),
 * locals and line numbers are the compiler's. The agent pairs enter with exit through a per-thread
 * stack ({@link CallState}).
 *
 * <p>What is matched: a class whose name the glob matches has each method of the rule's name (and
 * parameter list, when given) instrumented, static ones included; a class one of whose supertypes
 * the glob matches has its non-static, non-private methods of that name instrumented (overrides and
 * implementations). Constructors, abstract, native, bridge and synthetic methods never are. The
 * first rule in file order wins.
 */
public final class MethodTransformer implements ClassFileTransformer {
    static final String BRIDGE = "java/lang/NumaAgentBridge";
    /** The agent's own package, for the warning about rules naming it. */
    static final String AGENT_PACKAGE = "numa/agent/";
    /** The only agent classes outside the agent's loader, never instrumented (see {@link #skipByName}). */
    private static final String LAUNCHER_PACKAGE = "numa/agent/launcher/";
    private static final Logger LOG = AgentLog.logger("instrument");
    private static final int RETURNS_FROM = Opcodes.IRETURN;
    private static final int RETURNS_TO = Opcodes.RETURN;

    private final MethodRules rules;
    private final MethodSites sites;
    private final TypeHierarchy hierarchy;
    private final ClassLoader agentLoader;
    private final String bridge;
    /** Rule method names as the class file writes them (null for '*'), for the method-table pre-check. */
    private final byte[][] methodNameBytes;

    MethodTransformer(MethodRules rules, MethodSites sites, ClassLoader agentLoader, String bridge) {
        this.rules = rules;
        this.sites = sites;
        this.hierarchy = new TypeHierarchy(rules);
        this.agentLoader = agentLoader;
        this.bridge = bridge;
        this.methodNameBytes = new byte[rules.size()][];
        for (int i = 0; i < rules.size(); i++) {
            String name = rules.pattern(i).methodName();
            methodNameBytes[i] = name.equals("*") ? null : modifiedUtf8(name);
        }
    }

    /** The transformer of the agent's method rules (register it, then retransform {@link #alreadyLoaded}). */
    static MethodTransformer create(MethodRules rules, MethodSites sites) {
        return new MethodTransformer(rules, sites, MethodTransformer.class.getClassLoader(), BRIDGE);
    }

    /** The classes among {@code loaded} that a rule names (by name or through a supertype): to retransform. */
    List<Class<?>> alreadyLoaded(Instrumentation inst, Class<?>[] loaded) {
        List<Class<?>> named = new ArrayList<>();
        for (Class<?> c : loaded) {
            try {
                if (c.isArray() || c.isPrimitive() || c.getClassLoader() == agentLoader || !inst.isModifiableClass(c)) {
                    continue;
                }
                if (!skipByName(c.getName().replace('.', '/')) && hierarchy.maskOf(c) != 0) {
                    named.add(c);
                }
            } catch (Throwable t) {
                // a class that cannot even be looked at is not one a rule can name
            }
        }
        return named;
    }

    /**
     * Classes never looked at: JDK classes unless a glob could name one, and whatever the agent's
     * own hooks run on (java.lang, the JDK's internals), which would call the hooks from the hooks.
     */
    private boolean skipByName(String internalName) {
        if (MethodRules.isJdkName(internalName)) {
            return !rules.mayMatchJdk() || isNeverInstrumented(internalName);
        }
        // the agent's own classes: those of its loader are skipped by loader, but the launcher's
        // (in the system class loader with the application) only by name; measured:
        // numa.agent.**#* instrumented AgentClassLoader.findClass, on the agent's own path
        return internalName.startsWith(LAUNCHER_PACKAGE) || internalName.contains("$$Lambda");
    }

    /** Packages the agent's own code runs on at every call: never instrumented. */
    public static boolean isNeverInstrumented(String internalName) {
        return internalName.startsWith("java/lang/") || internalName.startsWith("jdk/internal/")
                || internalName.startsWith("sun/");
    }

    @Override
    public byte[] transform(Module module, ClassLoader loader, String className, Class<?> redefined,
                            ProtectionDomain domain, byte[] classfile) {
        // the transformer runs on whatever thread loads a class, often inside the application's
        // code: the JDK classes it uses itself (regex, maps) must not run the hooks on that thread
        boolean was = NumaAgentBridge.enterAgent();
        try {
            if (className == null || classfile == null || (loader != null && loader == agentLoader)
                    || skipByName(className)) {
                return null;
            }
            return transform(loader, className, redefined, classfile);
        } catch (Throwable t) {
            AgentLog.warnOnce(LOG, "transform:" + className, "class {} cannot be instrumented ({}); calls of its methods"
                    + " are not bound. Please report this", className.replace('/', '.'), t.toString());
            return null;
        } finally {
            NumaAgentBridge.exitAgent(was);
        }
    }

    byte[] transform(ClassLoader loader, String className, Class<?> redefined, byte[] classfile) {
        long direct = rules.classMask(className);
        if (direct == 0 && !mayDeclareARuleMethod(classfile)) {
            return null; // the usual case, decided without parsing the class
        }
        ClassReader reader = new ClassReader(classfile);
        long viaSupertypes = 0;
        long candidates = declaredRules(reader, classfile) & ~direct;
        if (candidates != 0) {
            if (redefined != null) {
                viaSupertypes = hierarchy.maskOf(redefined.getSuperclass());
                for (Class<?> i : redefined.getInterfaces()) {
                    viaSupertypes |= hierarchy.maskOf(i);
                }
            } else {
                viaSupertypes = hierarchy.maskOf(reader.getSuperName(), loader);
                for (String i : reader.getInterfaces()) {
                    viaSupertypes |= hierarchy.maskOf(i, loader);
                }
            }
            viaSupertypes &= candidates;
        }
        if ((direct | viaSupertypes) == 0) {
            return null;
        }
        return rewrite(reader, className, direct, viaSupertypes);
    }

    /**
     * Rules whose method name the class declares as a method that can override or implement one
     * (with a body: not static, private, abstract, native, bridge or synthetic): the only methods a
     * match through a supertype instruments. Read from the class file's method table directly (no
     * parse of the methods), so a class declaring none pays for no look at its supertypes.
     */
    private long declaredRules(ClassReader reader, byte[] b) {
        long all = rules.size() == 64 ? -1L : (1L << rules.size()) - 1;
        int p = reader.header + 6; // access_flags, this_class, super_class
        p += 2 + 2 * reader.readUnsignedShort(p); // interfaces
        int fields = reader.readUnsignedShort(p);
        p += 2;
        for (int f = 0; f < fields; f++) {
            p = skipMember(reader, p);
        }
        int methods = reader.readUnsignedShort(p);
        p += 2;
        int notOverriding = Opcodes.ACC_STATIC | Opcodes.ACC_PRIVATE | Opcodes.ACC_ABSTRACT | Opcodes.ACC_NATIVE
                | Opcodes.ACC_BRIDGE | Opcodes.ACC_SYNTHETIC;
        long declared = 0;
        for (int m = 0; m < methods; m++) {
            int access = reader.readUnsignedShort(p);
            int name = reader.getItem(reader.readUnsignedShort(p + 2));
            p = skipMember(reader, p);
            if ((access & notOverriding) != 0) {
                continue;
            }
            int length = reader.readUnsignedShort(name);
            for (int r = 0; r < methodNameBytes.length; r++) {
                byte[] wanted = methodNameBytes[r];
                if (wanted == null) {
                    declared |= 1L << r; // '*': any method
                } else if ((declared & (1L << r)) == 0 && wanted.length == length
                        && java.util.Arrays.equals(b, name + 2, name + 2 + length, wanted, 0, length)) {
                    declared |= 1L << r;
                }
            }
            if (declared == all) {
                break;
            }
        }
        return declared;
    }

    /**
     * False when no rule's method name occurs anywhere in the class file's bytes: then the class
     * declares no such method (its name would be a constant), and nothing else needs reading.
     */
    private boolean mayDeclareARuleMethod(byte[] b) {
        for (byte[] name : methodNameBytes) {
            if (name == null || indexOf(b, name) >= 0) {
                return true;
            }
        }
        return false;
    }

    static int indexOf(byte[] haystack, byte[] needle) {
        byte first = needle[0];
        int last = haystack.length - needle.length;
        outer:
        for (int i = 0; i <= last; i++) {
            if (haystack[i] != first) {
                continue;
            }
            for (int j = 1; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** The offset after a field_info or method_info starting at {@code p}. */
    private static int skipMember(ClassReader reader, int p) {
        int attributes = reader.readUnsignedShort(p + 6);
        p += 8;
        for (int a = 0; a < attributes; a++) {
            p += 6 + reader.readInt(p + 2);
        }
        return p;
    }

    /** The class file form of a name (modified UTF-8; the same as UTF-8 for identifiers of the BMP). */
    static byte[] modifiedUtf8(String s) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != 0 && c < 0x80) {
                out.write(c);
            } else if (c < 0x800) {
                out.write(0xC0 | (c >> 6));
                out.write(0x80 | (c & 0x3F));
            } else {
                out.write(0xE0 | (c >> 12));
                out.write(0x80 | ((c >> 6) & 0x3F));
                out.write(0x80 | (c & 0x3F));
            }
        }
        return out.toByteArray();
    }

    private byte[] rewrite(ClassReader reader, String className, long direct, long viaSupertypes) {
        ClassWriter writer = new ClassWriter(reader, 0);
        String owner = className.replace('/', '.');
        int[] count = {0};
        reader.accept(new ClassVisitor(Opcodes.ASM9, writer) {
            private int version;

            @Override
            public void visit(int v, int access, String name, String signature, String superName, String[] interfaces) {
                version = v & 0xFFFF;
                super.visit(v, access, name, signature, superName, interfaces);
            }

            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                                             String[] exceptions) {
                MethodVisitor mv = super.visitMethod(access, name, descriptor, signature, exceptions);
                int rule = ruleFor(access, name, descriptor, direct, viaSupertypes);
                if (rule < 0) {
                    return mv;
                }
                Rule r = rules.rule(rule);
                boolean isStatic = (access & Opcodes.ACC_STATIC) != 0;
                MethodSites.Site site = sites.register(r, owner, name, descriptor, isStatic);
                count[0]++;
                if (LOG.isDebugEnabled()) {
                    LOG.debug("rule {}: instrumented {} (bind: {})", r.name(), site.describe(),
                            r.bind().name().toLowerCase(java.util.Locale.ROOT));
                }
                Expr expr = r.device() != null ? r.device() : r.node();
                return new EnterExit(mv, bridge, site.id(), expr.callRoot(), isStatic, descriptor, version >= Opcodes.V1_7);
            }
        }, 0);
        return count[0] == 0 ? null : writer.toByteArray();
    }

    /** The first rule (file order) naming this method, or -1. */
    int ruleFor(int access, String name, String descriptor, long direct, long viaSupertypes) {
        if ((access & (Opcodes.ACC_ABSTRACT | Opcodes.ACC_NATIVE | Opcodes.ACC_BRIDGE | Opcodes.ACC_SYNTHETIC)) != 0
                || name.startsWith("<")) {
            return -1;
        }
        boolean overridable = (access & (Opcodes.ACC_STATIC | Opcodes.ACC_PRIVATE)) == 0;
        for (int i = 0; i < rules.size(); i++) {
            long bit = 1L << i;
            boolean classNamed = (direct & bit) != 0 || (overridable && (viaSupertypes & bit) != 0);
            if (classNamed && rules.pattern(i).matchesMethod(name, descriptor)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * The advice, written into one method: enter before the first instruction, exit before each
     * return and in a catch-all handler appended after the last instruction.
     */
    static final class EnterExit extends MethodVisitor {
        private final String bridge;
        private final int site;
        private final int root;
        private final boolean isStatic;
        private final String descriptor;
        private final boolean frames;
        private final net.bytebuddy.jar.asm.Label start = new net.bytebuddy.jar.asm.Label();
        private final net.bytebuddy.jar.asm.Label end = new net.bytebuddy.jar.asm.Label();
        private final net.bytebuddy.jar.asm.Label handler = new net.bytebuddy.jar.asm.Label();
        private boolean begun;

        EnterExit(MethodVisitor mv, String bridge, int site, int root, boolean isStatic, String descriptor, boolean frames) {
            super(Opcodes.ASM9, mv);
            this.bridge = bridge;
            this.site = site;
            this.root = root;
            this.isStatic = isStatic;
            this.descriptor = descriptor;
            this.frames = frames;
        }

        /**
         * Before the first instruction, after the method's own exception table entries (ClassReader
         * visits those first): our handler goes last in the table, so it only catches what the
         * method's own handlers do not.
         */
        private void begin() {
            if (begun) {
                return;
            }
            begun = true;
            super.visitTryCatchBlock(start, end, handler, null);
            loadRoot();
            pushInt(site);
            super.visitMethodInsn(Opcodes.INVOKESTATIC, bridge, "methodEnter", "(Ljava/lang/Object;I)V", false);
            super.visitLabel(start);
        }

        private void loadRoot() {
            if (root == Expr.CALL_THIS) {
                if (isStatic) {
                    super.visitInsn(Opcodes.ACONST_NULL);
                } else {
                    super.visitVarInsn(Opcodes.ALOAD, 0);
                }
                return;
            }
            net.bytebuddy.jar.asm.Type[] args = net.bytebuddy.jar.asm.Type.getArgumentTypes(descriptor);
            if (root < 0 || root >= args.length) {
                super.visitInsn(Opcodes.ACONST_NULL);
                return;
            }
            int slot = isStatic ? 0 : 1;
            for (int i = 0; i < root; i++) {
                slot += args[i].getSize();
            }
            net.bytebuddy.jar.asm.Type t = args[root];
            super.visitVarInsn(t.getOpcode(Opcodes.ILOAD), slot);
            String box = switch (t.getSort()) {
                case net.bytebuddy.jar.asm.Type.BOOLEAN -> "java/lang/Boolean";
                case net.bytebuddy.jar.asm.Type.CHAR -> "java/lang/Character";
                case net.bytebuddy.jar.asm.Type.BYTE -> "java/lang/Byte";
                case net.bytebuddy.jar.asm.Type.SHORT -> "java/lang/Short";
                case net.bytebuddy.jar.asm.Type.INT -> "java/lang/Integer";
                case net.bytebuddy.jar.asm.Type.FLOAT -> "java/lang/Float";
                case net.bytebuddy.jar.asm.Type.LONG -> "java/lang/Long";
                case net.bytebuddy.jar.asm.Type.DOUBLE -> "java/lang/Double";
                default -> null;
            };
            if (box != null) {
                super.visitMethodInsn(Opcodes.INVOKESTATIC, box, "valueOf", "(" + t.getDescriptor() + ")L" + box + ";", false);
            }
        }

        private void pushInt(int value) {
            if (value <= 5) {
                super.visitInsn(Opcodes.ICONST_0 + value);
            } else if (value <= Byte.MAX_VALUE) {
                super.visitIntInsn(Opcodes.BIPUSH, value);
            } else if (value <= Short.MAX_VALUE) {
                super.visitIntInsn(Opcodes.SIPUSH, value);
            } else {
                super.visitLdcInsn(value);
            }
        }

        private void exit() {
            super.visitMethodInsn(Opcodes.INVOKESTATIC, bridge, "methodExit", "()V", false);
        }

        @Override
        public void visitFrame(int type, int numLocal, Object[] local, int numStack, Object[] stack) {
            begin();
            super.visitFrame(type, numLocal, local, numStack, stack);
        }

        @Override
        public void visitInsn(int opcode) {
            begin();
            if (opcode >= RETURNS_FROM && opcode <= RETURNS_TO) {
                exit();
            }
            super.visitInsn(opcode);
        }

        @Override
        public void visitIntInsn(int opcode, int operand) {
            begin();
            super.visitIntInsn(opcode, operand);
        }

        @Override
        public void visitVarInsn(int opcode, int varIndex) {
            begin();
            super.visitVarInsn(opcode, varIndex);
        }

        @Override
        public void visitTypeInsn(int opcode, String type) {
            begin();
            super.visitTypeInsn(opcode, type);
        }

        @Override
        public void visitFieldInsn(int opcode, String owner, String name, String desc) {
            begin();
            super.visitFieldInsn(opcode, owner, name, desc);
        }

        @Override
        public void visitMethodInsn(int opcode, String owner, String name, String desc, boolean itf) {
            begin();
            super.visitMethodInsn(opcode, owner, name, desc, itf);
        }

        @Override
        public void visitInvokeDynamicInsn(String name, String desc, net.bytebuddy.jar.asm.Handle bsm, Object... args) {
            begin();
            super.visitInvokeDynamicInsn(name, desc, bsm, args);
        }

        @Override
        public void visitJumpInsn(int opcode, net.bytebuddy.jar.asm.Label label) {
            begin();
            super.visitJumpInsn(opcode, label);
        }

        @Override
        public void visitLabel(net.bytebuddy.jar.asm.Label label) {
            begin();
            super.visitLabel(label);
        }

        @Override
        public void visitLdcInsn(Object value) {
            begin();
            super.visitLdcInsn(value);
        }

        @Override
        public void visitIincInsn(int varIndex, int increment) {
            begin();
            super.visitIincInsn(varIndex, increment);
        }

        @Override
        public void visitTableSwitchInsn(int min, int max, net.bytebuddy.jar.asm.Label dflt, net.bytebuddy.jar.asm.Label... labels) {
            begin();
            super.visitTableSwitchInsn(min, max, dflt, labels);
        }

        @Override
        public void visitLookupSwitchInsn(net.bytebuddy.jar.asm.Label dflt, int[] keys, net.bytebuddy.jar.asm.Label[] labels) {
            begin();
            super.visitLookupSwitchInsn(dflt, keys, labels);
        }

        @Override
        public void visitMultiANewArrayInsn(String desc, int numDimensions) {
            begin();
            super.visitMultiANewArrayInsn(desc, numDimensions);
        }

        @Override
        public void visitLineNumber(int line, net.bytebuddy.jar.asm.Label startLabel) {
            begin();
            super.visitLineNumber(line, startLabel);
        }

        @Override
        public void visitMaxs(int maxStack, int maxLocals) {
            begin();
            super.visitLabel(end);
            super.visitLabel(handler);
            if (frames) {
                super.visitFrame(Opcodes.F_FULL, 0, new Object[0], 1, new Object[] {"java/lang/Throwable"});
            }
            exit();
            super.visitInsn(Opcodes.ATHROW);
            // enter: value (a long or double before boxing: 2) + the site number; the handler: 1
            super.visitMaxs(Math.max(maxStack, 3), maxLocals);
        }
    }
}
