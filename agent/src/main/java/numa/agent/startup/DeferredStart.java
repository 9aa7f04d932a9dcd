package numa.agent.startup;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import numa.agent.instrument.Hooks;
import numa.agent.instrument.PendingThreadStartHook;
import numa.agent.instrument.ThreadStartHook;

/**
 * {@link StartupPlan#DEFERRED}: premain only rewrites Thread, with a hook that holds a start until
 * the rules are read ({@link PendingThreadStartHook}); the config, topology, hooks, JNA and devices
 * follow on the agent's background thread, off the application's start-up.
 *
 * <p>The bodies are classes, not lambdas: premain would pay ~1 ms of method-handle spinning for
 * each lambda, cold.
 */
final class DeferredStart {
    /** How long a JVM that exits during the background start-up waits for its config to be read (and reported). */
    private static final long EXIT_WAIT_SECONDS = 5;

    private DeferredStart() {
    }

    static void start(StartContext context, PhaseTimer timer) {
        CompletableFuture<ThreadStartHook> installed = new CompletableFuture<>();
        PendingThreadStartHook pending = new PendingThreadStartHook(installed);
        try {
            NumaAgentBridge.installThreadStartHooks(pending, pending);
            Hooks.rewriteThread(context.inst());
        } catch (Throwable t) {
            NumaAgentBridge.installThreadStartHooks(null, null);
            FailurePolicy.couldNotStart(context.log, t);
            return;
        }
        timer.mark("thread rewrite");
        if (context.log.isDebugEnabled()) {
            context.log.debug("premain took {}; the config is read in the background", timer.summary());
        }
        // A JVM that ends before the config is read would never print its errors: it waits for that
        // (not for JNA or devices) as it exits. It is an agent thread: its own start neither waits nor binds.
        CompletableFuture<Void> configRead = new CompletableFuture<>();
        Thread exitWait = new Thread(new ExitWait(configRead), "numa-agent-exit");
        ThreadStartHook.agentThread(exitWait);
        Runtime.getRuntime().addShutdownHook(exitWait);
        AgentObservability.beaconOnStartupThread();
        ThreadStartHook.startInternal("numa-agent-init", new BackgroundStart(context, installed, configRead, exitWait));
    }

    /** At exit: waits (bounded) until the config is read, so its errors are printed. */
    private static final class ExitWait implements Runnable {
        private final CompletableFuture<Void> configRead;

        ExitWait(CompletableFuture<Void> configRead) {
            this.configRead = configRead;
        }

        @Override
        public void run() {
            try {
                configRead.get(EXIT_WAIT_SECONDS, TimeUnit.SECONDS);
            } catch (Exception e) {
                // exiting anyway
            }
        }
    }

    /** The agent's background thread: config, topology, hooks, JNA, devices; then it becomes the beacon. */
    private static final class BackgroundStart implements Runnable {
        private final StartContext context;
        private final CompletableFuture<ThreadStartHook> installed;
        private final CompletableFuture<Void> configRead;
        private final Thread exitWait;

        BackgroundStart(StartContext context, CompletableFuture<ThreadStartHook> installed,
                        CompletableFuture<Void> configRead, Thread exitWait) {
            this.context = context;
            this.installed = installed;
            this.configRead = configRead;
            this.exitWait = exitWait;
        }

        @Override
        public void run() {
            PhaseTimer background = new PhaseTimer(System.nanoTime());
            AgentObservability.publishReport(); // status sees the agent while it starts
            try {
                installed.complete(ConfiguredStart.run(context, StartupPlan.DEFERRED, background, installed, configRead));
            } catch (Throwable t) {
                FailurePolicy.couldNotStart(context.log, t);
            } finally {
                configRead.complete(null);
                installed.complete(null); // no-op when completed above
            }
            // its work is done: a JVM that exits from now on has nothing to wait for
            try {
                Runtime.getRuntime().removeShutdownHook(exitWait);
                ThreadStartHook.forgetAgentThread(exitWait);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs (or ran) and returns at once; it stays an agent thread
            }
            AgentObservability.becomeBeacon();
        }
    }
}
