package numa.agent.cli;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.sun.tools.attach.AgentInitializationException;
import com.sun.tools.attach.AgentLoadException;
import com.sun.tools.attach.AttachNotSupportedException;
import com.sun.tools.attach.VirtualMachine;

import numa.agent.observe.AgentReport;
import numa.agent.proc.ProcProcess;
import numa.agent.proc.ThreadDump;

/**
 * The command line's channel to another JVM on this machine: the Attach API's socket (the mechanism
 * of {@code jcmd}) and its text commands only. System properties come as text
 * ({@code Properties.load}), the thread dump and flags as {@code jcmd} text; the agent's own data is
 * its {@link AgentReport}, a system property. Nothing is deserialized, no management agent is
 * started, no port is opened in the target; only the JVM's own Attach Listener thread appears there,
 * as with {@code jcmd}.
 *
 * <p>Every call has a deadline: a target that does not answer (stopped by SIGSTOP or a debugger, or
 * hung) fails the call with {@link NoAnswer}, and later calls fail at once.
 *
 * <p>Attaching needs the same user as the target (or root), a JVM not started with
 * {@code -XX:+DisableAttachMechanism}, and, across containers, a shared /tmp or PID namespace.
 */
final class TargetJvm implements AutoCloseable {
    /** How long one call may take, unless {@code --timeout} says otherwise. */
    static final long DEFAULT_TIMEOUT_SECONDS = 10;
    /** Loading the agent runs its whole start-up in the target (JNA, devices, NVML). */
    private static final long LOAD_TIMEOUT_SECONDS = 120;
    /** At most this much text is read from one answer. */
    private static final int MAX_ANSWER_BYTES = 64 << 20;

    /** The target did not answer in time. */
    static final class NoAnswer extends IOException {
        private static final long serialVersionUID = 1L;

        NoAnswer(String message) {
            super(message);
        }
    }

    /** One call to the target. */
    private interface Call<T> {
        T run() throws Exception;
    }

    private final ProcProcess process;
    private final long timeoutSeconds;
    private final ExecutorService calls;
    private VirtualMachine vm;
    private boolean hung;

    private TargetJvm(ProcProcess process, long timeoutSeconds) {
        this.process = process;
        this.timeoutSeconds = timeoutSeconds;
        this.calls = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "numa-agent-target-call");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Attaches to {@code process}, which must be a JVM (the attach handshake sends SIGQUIT, which ends
     * most other programs: callers check {@code ProcProcess.isJvm()} first).
     *
     * @throws IOException saying why, with what to do
     */
    static TargetJvm attach(ProcProcess process, long timeoutSeconds) throws IOException {
        TargetJvm target = new TargetJvm(process, timeoutSeconds);
        try {
            target.vm = target.call("attach", timeoutSeconds, () -> VirtualMachine.attach(Long.toString(process.pid())));
            return target;
        } catch (NoAnswer e) {
            target.close();
            throw e;
        } catch (AttachNotSupportedException e) {
            target.close();
            throw new IOException("cannot attach to JVM " + process.pid() + ": " + e.getMessage() + " (attach needs the"
                    + " JVM's user or root, a JVM without -XX:+DisableAttachMechanism, and its /tmp reachable from here)", e);
        } catch (LinkageError e) {
            target.close();
            throw new IOException("this Java runtime has no Attach API (module jdk.attach): run the command with a full"
                    + " JDK (" + e + ")", e);
        } catch (IOException e) {
            target.close();
            throw new IOException("cannot attach to JVM " + process.pid() + ": " + e.getMessage(), e);
        } catch (Exception e) {
            target.close();
            throw new IOException("cannot attach to JVM " + process.pid() + ": " + e, e);
        }
    }

    long pid() {
        return process.pid();
    }

    /** Its system properties, as text through the attach socket. */
    Properties systemProperties() throws IOException {
        return callIo("its system properties", timeoutSeconds, () -> vm.getSystemProperties());
    }

    /**
     * What the agent in the target reports ({@link AgentReport}), or empty when no agent has
     * published one there.
     *
     * @throws IOException when the target does not answer, or the report is not one (said how)
     */
    Optional<AgentReport.Parsed> agentReport() throws IOException {
        String text = systemProperties().getProperty(AgentReport.PROPERTY);
        if (text == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(AgentReport.parse(text));
        } catch (IllegalArgumentException e) {
            throw new IOException("the system property " + AgentReport.PROPERTY + " of JVM " + pid()
                    + " is not an agent report: " + e.getMessage());
        }
    }

    /**
     * Its threads with their kernel ids, from {@code Thread.print}; only those that are threads of
     * the process ({@code /proc/PID/task/TID}). A dump that cannot be read unambiguously comes back
     * empty with its {@link ThreadDump#problem()}.
     */
    ThreadDump threadDump() throws IOException {
        String text = jcmd("Thread.print");
        return ThreadDump.parse(text).onlyTasks(tid -> tid > 0
                && Files.isDirectory(process.dir().resolve("task").resolve(Integer.toString(tid))));
    }

    /** The target's Java feature version (17, 21, 25...), or 0 when unknown. */
    int featureVersion() throws IOException {
        try {
            String spec = systemProperties().getProperty("java.specification.version", "0");
            return Integer.parseInt(spec.startsWith("1.") ? spec.substring(2) : spec);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /**
     * True when the JVM was started with {@code -XX:+EnableDynamicAgentLoading}: Java 21+ then loads
     * an agent without its warning. The flag is true by default there, but only a value given on the
     * command line silences the warning ({@code VM.flags -all} shows its origin).
     */
    boolean dynamicAgentLoadingExplicit() throws IOException {
        for (String line : jcmd("VM.flags -all").split("\n")) {
            if (line.matches("\\s*bool\\s+EnableDynamicAgentLoading\\s+=\\s+true\\s.*") && !line.contains("{default}")) {
                return true;
            }
        }
        return false;
    }

    /** Loads a Java agent; returns once its agentmain has returned. */
    void loadAgent(String jar, String args) throws IOException, AgentLoadException, AgentInitializationException {
        try {
            call("loading the agent", LOAD_TIMEOUT_SECONDS, () -> {
                vm.loadAgent(jar, args);
                return null;
            });
        } catch (IOException | AgentLoadException | AgentInitializationException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException("loading the agent into JVM " + pid() + " failed: " + e, e);
        }
    }

    /** A diagnostic command's text answer ({@code jcmd PID COMMAND}). */
    private String jcmd(String command) throws IOException {
        return callIo("jcmd " + command, timeoutSeconds, () -> {
            Method execute = vm.getClass().getMethod("executeJCmd", String.class);
            try (InputStream in = (InputStream) execute.invoke(vm, command)) {
                return readAnswer(in);
            } catch (InvocationTargetException e) {
                throw e.getCause() instanceof Exception cause ? cause : e;
            } catch (IllegalAccessException e) {
                throw new IOException("the Attach API's diagnostic commands are not reachable: run the command as"
                        + " java -jar numa-agent.jar (its manifest opens them)", e);
            }
        });
    }

    /**
     * Reads an answer whole, as jcmd does: a fresh buffer at each read (the attach socket's stream of
     * JDK 17 returns nothing further once asked to read at an offset: the dump stopped at 4 KiB).
     */
    private static String readAnswer(InputStream in) throws IOException {
        java.io.ByteArrayOutputStream answer = new java.io.ByteArrayOutputStream();
        byte[] chunk = new byte[8192];
        int n;
        while ((n = in.read(chunk)) > 0) {
            if (answer.size() + n > MAX_ANSWER_BYTES) {
                throw new IOException("its answer is larger than " + (MAX_ANSWER_BYTES >> 20) + " MiB");
            }
            answer.write(chunk, 0, n);
        }
        return answer.toString(StandardCharsets.UTF_8);
    }

    private <T> T callIo(String what, long seconds, Call<T> call) throws IOException {
        try {
            return call(what, seconds, call);
        } catch (IOException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException(what + " of JVM " + pid() + " failed: " + e, e);
        }
    }

    private <T> T call(String what, long seconds, Call<T> call) throws Exception {
        if (hung) {
            throw new NoAnswer("JVM " + pid() + " did not answer before (" + what + " not asked)");
        }
        Future<T> answer = calls.submit(call::run);
        try {
            return answer.get(seconds, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            hung = true;
            answer.cancel(true);
            throw new NoAnswer("JVM " + pid() + " did not answer within " + seconds + " s (" + what + ")" + stateHint()
                    + "; gave up (--timeout SECONDS waits longer)");
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : new IOException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NoAnswer("interrupted while waiting for JVM " + pid());
        }
    }

    private String stateHint() {
        ProcProcess.State state = process.state();
        return state == ProcProcess.State.STOPPED
                ? ": it is stopped (state T in /proc/" + pid() + "/stat, SIGSTOP or a debugger); kill -CONT " + pid()
                + " resumes it" : "";
    }

    @Override
    public void close() {
        VirtualMachine v = vm;
        if (v != null && !hung) {
            try {
                call("detach", timeoutSeconds, () -> {
                    v.detach();
                    return null;
                });
            } catch (Exception ignored) {
                // the JVM may have ended, or stopped answering
            }
        }
        calls.shutdownNow();
    }
}
