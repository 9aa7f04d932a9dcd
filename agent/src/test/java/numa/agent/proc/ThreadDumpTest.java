package numa.agent.proc;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;

import org.junit.jupiter.api.Test;

import numa.agent.observe.DiagnosticCommands;

class ThreadDumpTest {
    /** As JDK 17 prints it: Java id after '#', hex nid; VM threads have no '#id'. */
    private static final String JDK17 = """
            2026-11-21 21:45:19
            Full thread dump OpenJDK 64-Bit Server VM (17.0.15+6-Debian-1deb12u1 mixed mode, sharing):

            Threads class SMR info:
            _java_thread_list=0x00007f5e6c3f5210, length=12, elements={
            0x00007f5e6c018040, 0x00007f5e6c0f6c30, 0x00007f5c0841eef0
            }

            "main" #1 prio=5 os_prio=0 cpu=680.37ms elapsed=3.52s tid=0x00007f5e6c018040 nid=0x6de8 waiting on condition  [0x00007f5e723fd000]
               java.lang.Thread.State: RUNNABLE
            \tat D.main(D.java:8)

            "Reference Handler" #2 daemon prio=10 os_prio=0 cpu=0.73ms elapsed=3.31s tid=0x00007f5e6c0f6c30 nid=0x6def waiting on condition  [0x00007f5e48a06000]
               java.lang.Thread.State: RUNNABLE

            "gpu-worker-"odd" #9 name-that-is-long" #12 daemon prio=5 os_prio=0 cpu=0.12ms elapsed=0.92s tid=0x00007f5c0841eef0 nid=0x1e1d waiting on condition  [0x00007f5be4260000]
               java.lang.Thread.State: TIMED_WAITING (sleeping)

            "GC Thread#1" os_prio=0 cpu=10.53ms elapsed=1.67s tid=0x00007f5bcc004990 nid=0x1e0c runnable \s

            JNI global refs: 14, weak refs: 0
            """;

    /** As JDK 21+ prints it: the kernel id also in brackets, nid in decimal. */
    private static final String JDK25 = """
            Threads class SMR info:
            _java_thread_list=0x00007f5594002320, length=3, elements={
            0x00007fe49402aa70, 0x00007fe4940b4c90, 0x00007fe4940b4c91
            }

            "main" #3 [22292] prio=5 os_prio=0 cpu=662.10ms elapsed=5.59s tid=0x00007fe49402aa70 nid=22292 waiting on condition  [0x00007fe49a928000]
            "Reference Handler" #12 [22344] daemon prio=10 os_prio=0 cpu=0.32ms elapsed=5.54s tid=0x00007fe4940b4c90 nid=22344 waiting on condition  [0x00007fe474e41000]
            "gpu-worker-2" #31 [22401] prio=5 os_prio=0 cpu=1.00ms elapsed=1.00s tid=0x00007fe4940b4c91 nid=22401 waiting on condition  [0x0]
            "VM Thread" os_prio=0 cpu=1.39ms elapsed=5.54s tid=0x00007fe4940a83f0 nid=22340 runnable \s
            """;

    @Test
    void reads_names_java_ids_and_hex_native_ids_of_jdk17() {
        ThreadDump dump = ThreadDump.parse(JDK17);
        assertThat(dump.entries()).extracting(ThreadDump.Entry::name)
                .containsExactly("main", "Reference Handler", "gpu-worker-\"odd\" #9 name-that-is-long", "GC Thread#1");
        assertThat(dump.byJavaId(1)).isEqualTo(new ThreadDump.Entry("main", 1, 0x6de8, false));
        assertThat(dump.byJavaId(2).daemon()).isTrue();
        assertThat(dump.byJavaId(12).nativeId()).isEqualTo(0x1e1d);
        ThreadDump.Entry gc = dump.byNativeId(0x1e0c);
        assertThat(gc.name()).isEqualTo("GC Thread#1");
        assertThat(gc.isJavaThread()).isFalse();
    }

    @Test
    void reads_decimal_native_ids_and_the_bracketed_form_of_jdk21_and_later() {
        ThreadDump dump = ThreadDump.parse(JDK25);
        assertThat(dump.byJavaId(3)).isEqualTo(new ThreadDump.Entry("main", 3, 22292, false));
        assertThat(dump.byJavaId(12)).isEqualTo(new ThreadDump.Entry("Reference Handler", 12, 22344, true));
        assertThat(dump.byNativeId(22401).name()).isEqualTo("gpu-worker-2");
        assertThat(dump.byNativeId(22340).javaId()).isEqualTo(-1);
    }

    /** A name with a line break that forges a header for another kernel id: the whole dump is refused. */
    @Test
    void a_name_that_forges_a_header_makes_the_dump_ambiguous() {
        String forged = JDK25.replace("\"gpu-worker-2\" #31", "\"x\n\"gpu-worker-2\" #31 [999] prio=5 os_prio=0 cpu=1ms elapsed=1s"
                + " tid=0x00007fe4940b4c91 nid=999 waiting on condition  [0x0]\ny\" #32");
        ThreadDump dump = ThreadDump.parse(forged);
        assertThat(dump.entries()).isEmpty();
        assertThat(dump.problem()).contains("ambiguous");
        assertThat(ThreadDump.parse(JDK25.replace("tid=0x00007fe4940b4c91", "tid=0x00007fe4940b4c99")).problem())
                .as("an address not in the thread list").contains("ambiguous");
        assertThat(ThreadDump.parse(JDK25).onlyTasks(tid -> tid != 22401).byNativeId(22401)).isNull();
    }

    @Test
    void lines_that_are_not_thread_headers_are_skipped() {
        assertThat(ThreadDump.parse("_java_thread_list=0x1, length=0, elements={\n}\n\"unterminated\n\"x\" but no nid here\n\tat a.b(C.java:1)\n").entries()).isEmpty();
        assertThat(ThreadDump.parse("").entries()).isEmpty();
    }

    /** The real thing, on the JDK running the tests: every live platform thread is there with its kernel id. */
    @Test
    @SuppressWarnings("deprecation")
    void this_jvms_own_dump_finds_the_current_thread_by_its_java_id() throws Exception {
        ThreadDump dump = ThreadDump.parse(DiagnosticCommands.threadPrint(ManagementFactory.getPlatformMBeanServer()));
        ThreadDump.Entry me = dump.byJavaId(Thread.currentThread().getId());
        assertThat(me).isNotNull();
        assertThat(me.name()).isEqualTo(Thread.currentThread().getName());
        String status = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/thread-self/status"));
        assertThat(status).contains("\nPid:\t" + me.nativeId() + "\n");
    }
}
