package numa.agent.startup;

import org.slf4j.Logger;

import numa.agent.config.AgentSettings;
import numa.agent.config.ConfigException;
import numa.agent.instrument.Readiness;
import numa.agent.launcher.AgentStarter;
import numa.agent.launcher.StartRequest;
import numa.agent.log.AgentLog;

/**
 * The agent's way in, in its own class loader: the settings, the kill switch, one agent per JVM,
 * then the {@link StartupPlan} decided once and carried out. Whatever goes wrong, one line says
 * what ({@link FailurePolicy}) and the application runs on unbound.
 */
public final class AgentEntry implements AgentStarter {
    private static volatile boolean started;

    @Override
    public void start(StartRequest request) {
        // premain's own calls into classes a method rule names (the JDK's, when a rule names
        // java.util.concurrent.*) must not run the hooks: see NumaAgentBridge.enterAgent
        boolean was = NumaAgentBridge.enterAgent();
        try {
            startOnce(request);
        } finally {
            NumaAgentBridge.exitAgent(was);
        }
    }

    private static void startOnce(StartRequest request) {
        PhaseTimer timer = new PhaseTimer(request.startNanos());
        AgentSettings settings;
        try {
            settings = AgentSettings.resolve(request.agentArgs(), System.getenv(), System.getProperties());
        } catch (ConfigException e) {
            // no log level yet: the settings say it
            for (String line : AgentSettings.refusal(e)) {
                System.err.println("numa-agent: " + line);
            }
            return;
        }
        AgentLog.setLevel(settings.logLevel());
        Logger log = AgentLog.logger("agent");
        timer.mark("settings");
        if (!settings.enabled()) {
            log.info("disabled (enabled=false): nothing is bound");
            return;
        }
        boolean dynamic = request.dynamic();
        synchronized (AgentEntry.class) {
            if (started) {
                log.info("already running in this JVM: nothing more to do");
                return;
            }
            if (dynamic && instrumentedByAnotherCopy(log)) {
                return;
            }
            started = true;
        }
        AgentObservability.started(settings, dynamic);
        try {
            // from here on, nothing the application does may wait on the agent's start-up for longer
            // than its one budget, counted from now (see Readiness)
            Readiness.startClock(request.startNanos());
            if (!dynamic) {
                // the agent's log lines must not wait for a lock the application may hold on System.err
                AgentLog.writeAroundStderrLock();
            }
            StartContext context = new StartContext(request, settings, log);
            StartupPlan plan = StartupPlan.of(dynamic, settings, DeferrableConfig.FILES);
            if (plan == StartupPlan.DEFERRED) {
                DeferredStart.start(context, timer);
            } else {
                ConfiguredStart.run(context, plan, timer, null, null);
            }
        } catch (Throwable t) {
            FailurePolicy.couldNotStart(log, t);
        } finally {
            if (dynamic && settings.dryRun()) {
                // nothing was installed: the next attach must start for real, not find "already running"
                AgentObservability.state("dry-run (attach): decided for the running threads, applied and installed"
                        + " nothing; attach without --dry-run to bind");
                AgentObservability.dryRunAttachDone();
                synchronized (AgentEntry.class) {
                    started = false;
                }
            }
            AgentObservability.publish(dynamic);
        }
    }

    /**
     * The bridge outlives any one copy of the agent: when it already has hooks, a copy of the agent
     * loaded from another jar (or class loader) instruments this JVM, and a second would bind twice.
     */
    private static boolean instrumentedByAnotherCopy(Logger log) {
        if (NumaAgentBridge.threadStartHooksInstalled()) {
            log.info("another copy of the agent already instruments this JVM: nothing more to do");
            return true;
        }
        return false;
    }
}
