package numa.agent.instrument;

import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

import org.slf4j.Logger;

import numa.agent.bind.BindException;
import numa.agent.bind.Binding;
import numa.agent.bind.CallerBinder;
import numa.agent.bind.InheritedBinding;
import numa.agent.config.BindingConfig;
import numa.agent.log.AgentLog;
import numa.agent.observe.RuleActivity;
import numa.agent.rules.ProcessRules;

/**
 * Decides, on the thread that calls {@code ProcessBuilder.start} (or {@code Runtime.exec}), what
 * the new process gets, and binds that thread just around the creation of the child: the child
 * inherits CPU affinity and memory policy through fork, vfork or posix_spawn and keeps them across
 * {@code execve}, so it is bound from its first instruction; the thread is restored at once.
 * <ul>
 * <li>a command line a {@code process} rule names gets its device's node;</li>
 * <li>else, a process started during a {@code bind: children} call on this thread gets that call's
 * binding;</li>
 * <li>else, a process started by a bound thread gets the process's original binding under
 * {@code children: reset};</li>
 * <li>anything else is not touched.</li>
 * </ul>
 * A process the agent bound also gets {@value InheritedBinding#VARIABLE} in its environment, so
 * that the agent of a spawned JVM knows its binding and does not bind it a second time elsewhere
 * (see {@link InheritedBinding}); a process reset to the original binding gets it removed.
 * Processes started from virtual threads are never bound (the carrier would be bound).
 */
public // a Function and a Consumer at once, as the bridge takes them: andThen of each is never called
@SuppressWarnings("overloads")
final class ProcessStartHook implements Function<String[], Object>, Consumer<Object> {
    private static final Logger LOG = AgentLog.logger("process");

    private final ProcessRules rules;
    private final CompletableFuture<BindingContext> ready;
    private final BoundThreads bound;
    private final boolean resetChildren;
    private final boolean dryRun;
    /** This process's id, for the child's {@value InheritedBinding#VARIABLE}; read at the first spawn. */
    private volatile long pid = -1;

    public ProcessStartHook(ProcessRules rules, CompletableFuture<BindingContext> ready, BoundThreads bound,
                            BindingConfig.Children children, boolean dryRun) {
        this.rules = rules;
        this.ready = ready;
        this.bound = bound;
        this.resetChildren = children == BindingConfig.Children.RESET;
        this.dryRun = dryRun;
    }

    /** One spawn in progress: what to restore, what the child learns, what to log. */
    private final class Spawn implements Supplier<String> {
        final CallerBinder binder;
        final CallerBinder.Saved saved;
        final String command;
        final StartDecision decision;

        Spawn(CallerBinder binder, CallerBinder.Saved saved, String command, StartDecision decision) {
            this.binder = binder;
            this.saved = saved;
            this.command = command;
            this.decision = decision;
        }

        /** The child's {@value InheritedBinding#VARIABLE}: null (removed) for the original binding. */
        @Override
        public String get() {
            Binding target = decision.target();
            if (target.node() < 0) {
                return null;
            }
            try {
                if (pid < 0) {
                    // not at premain: it starts the JDK's process machinery. Called by the bridge, not
                    // through Privileged.StartHooks: under a security manager it needs manageProcess
                    pid = Privileged.needed() ? Privileged.run(() -> ProcessHandle.current().pid())
                            : ProcessHandle.current().pid();
                }
                return InheritedBinding.of(target, saved.memoryApplied(), pid, decision.rule()).format();
            } catch (Throwable t) {
                // e.g. a SecurityException from ProcessHandle.current() under a security manager
                AgentLog.warnOnce(LOG, "inherited:" + t.getClass().getName(), "{}: the child is bound, but cannot be"
                        + " told so ({}); an agent in it may bind it again", Described.command(command), AgentLog.describe(t));
                throw t;
            }
        }

        void log() {
            decision.log(LOG, "process", Described.command(command), Thread.currentThread().getName(),
                    saved == null || saved.memoryApplied(), dryRun);
        }
    }

    /** Before the child is created: returns a token for {@link #accept(Object)}, or null when nothing was done. */
    @Override
    public Object apply(String[] command) {
        if (ThreadStartHook.insideAgent()) {
            return null;
        }
        try {
            return beforeSpawn(command);
        } catch (Throwable t) {
            AgentLog.warnOnce(LOG, "hook:" + t.getClass().getName(), "internal error while starting a process ({}); it"
                    + " is left unbound. Please report this", AgentLog.describe(t));
            return null;
        }
    }

    private Object beforeSpawn(String[] command) {
        CallState state = CallState.peek();
        if (state != null && state.spawning) {
            return null;
        }
        String line = ProcessRules.commandLine(command);
        ProcessRules.Match match = rules.match(line);
        CallState.Scope scope = state == null ? null : state.scope;
        Thread me = Thread.currentThread();
        String myRule = bound.ruleOf(me);
        if (match == null && scope == null && !(resetChildren && myRule != null)) {
            return null;
        }
        String subject = "process '" + Described.command(line) + "'";
        if (VirtualThreads.isVirtual(me)) {
            AgentLog.warnOnce(LOG, "virtual", "{} was started from a virtual thread: processes started from virtual"
                    + " threads are not bound (binding would bind the carrier thread); start it from a platform thread",
                    subject);
            return null;
        }
        BindingContext r = Readiness.await(ready, LOG, subject);
        if (r == null) {
            return null;
        }
        StartDecision decision = null;
        if (match != null) {
            RuleActivity.matched(match.rule().name());
            Binding target = r.targets().resolve(match.rule(), match.match(), subject);
            if (target == null) {
                return null;
            }
            decision = StartDecision.rule(match.rule().name(), target);
        } else if (scope != null) {
            decision = StartDecision.scope(r, state);
        }
        if (decision == null) {
            if (!(resetChildren && myRule != null)) {
                return null;
            }
            decision = StartDecision.reset(r, myRule);
        }
        if (dryRun) {
            new Spawn(r.binder(), null, line, decision).log();
            return null;
        }
        CallerBinder.Saved saved;
        try {
            saved = r.binder().bind(decision.target());
        } catch (BindException e) {
            AgentLog.warnOnce(LOG, "bind:" + e.errno(), "{} not bound: {}", subject, e.getMessage());
            return null;
        }
        try {
            Spawn spawn = new Spawn(r.binder(), saved, line, decision);
            CallState mine = CallState.current();
            // a thread started during the spawn (the JDK's process reaper) gets what this thread had
            mine.beforeSpawn = new Binding(-1, -1, saved.cpus(), saved.memoryChanged() ? saved.memory() : null);
            mine.spawning = true;
            return spawn;
        } catch (Throwable t) {
            // no token, no restore after the spawn: put the thread back now, the child starts unbound
            r.binder().restore(saved);
            throw t;
        }
    }

    /** After the child exists (or failed to): puts the thread back, then logs. */
    @Override
    public void accept(Object token) {
        try {
            Spawn spawn = (Spawn) token;
            CallState state = CallState.current();
            state.spawning = false;
            state.beforeSpawn = null;
            spawn.binder.restore(spawn.saved);
            spawn.log();
        } catch (Throwable t) {
            AgentLog.warnOnce(LOG, "hook-after:" + t.getClass().getName(), "internal error after a process start ({})",
                    AgentLog.describe(t));
        }
    }
}
