package numa.agent.launcher;

import java.lang.instrument.Instrumentation;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

/**
 * The only agent class the system class loader sees (with the two beside it): it defines the bridge
 * in java.base, then hands over to the agent's {@link AgentStarter} inside an {@link AgentClassLoader}, so
 * that the agent's dependencies (ByteBuddy, JNA, SLF4J, the YAML parser) stay invisible to the
 * application. JDK classes only, and as little as possible: every class here is start-up time.
 */
public final class AgentLauncher {
    private static final String AGENT_ENTRY = "numa.agent.startup.AgentEntry";
    private static final String CLI_CLASS = "numa.agent.cli.Cli";

    private AgentLauncher() {
    }

    /** {@code -javaagent:numa-agent.jar[=ARG]}. */
    public static void premain(String args, Instrumentation inst) {
        start(args, inst, false);
    }

    /** Loaded into a running JVM ({@code numa-agent.jar attach PID}, or the Attach API). */
    public static void agentmain(String args, Instrumentation inst) {
        start(args, inst, true);
    }

    /** {@code java -jar numa-agent.jar VERB ...}: the command line. */
    public static void main(String[] args) throws Throwable {
        int status;
        try {
            Method main = AgentClassLoader.get().loadClass(CLI_CLASS).getMethod("run", String[].class);
            status = (Integer) main.invoke(null, (Object) args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
        System.exit(status);
    }

    private static void start(String args, Instrumentation inst, boolean dynamic) {
        long startNanos = System.nanoTime();
        try {
            BridgeDefiner.define(inst);
            AgentClassLoader loader = AgentClassLoader.get();
            AgentStarter agent = (AgentStarter) loader.loadClass(AGENT_ENTRY).getDeclaredConstructor().newInstance();
            // a class, not a method reference: a lambda at premain costs ~1 ms of spinning, cold
            java.util.function.Supplier<String> jnaStubProblem = new java.util.function.Supplier<>() {
                @Override
                public String get() {
                    return loader.jnaStubProblem();
                }
            };
            agent.start(new StartRequest(inst, args, dynamic, startNanos, jnaStubProblem));
        } catch (InvocationTargetException e) {
            report(e.getCause());
        } catch (Throwable t) {
            report(t);
        }
    }

    /** The agent never stops the application it could not start in. */
    private static void report(Throwable t) {
        if (t instanceof SecurityException) {
            // -Djava.security.manager at start (JDK 17-23): this class is the system loader's, so
            // the policy decides what it may do, and no doPrivileged of the agent can lend it more
            System.err.println("numa-agent: could not start: the security manager denies it (" + t + "); the"
                    + " application runs without NUMA binding. To bind, grant the agent every permission in the"
                    + " policy: grant codeBase \"file:" + jarPath() + "\" { permission java.security.AllPermission; };");
            return;
        }
        System.err.println("numa-agent: could not start (" + t + "); the application runs without NUMA binding."
                + " Please report this with the JDK version (java -version).");
    }

    /** Where this jar is, for the line above; the security manager may refuse to say. */
    private static String jarPath() {
        try {
            return new java.io.File(AgentLauncher.class.getProtectionDomain().getCodeSource().getLocation().toURI()).getPath();
        } catch (Exception | Error e) {
            return "/path/to/numa-agent.jar";
        }
    }
}
