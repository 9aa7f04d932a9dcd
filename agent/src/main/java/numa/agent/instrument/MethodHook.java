package numa.agent.instrument;

import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ObjIntConsumer;

import org.slf4j.Logger;

import numa.agent.bind.BindException;
import numa.agent.bind.Binding;
import numa.agent.bind.CallerBinder;
import numa.agent.config.Rule;
import numa.agent.log.AgentLog;
import numa.agent.observe.BoundLineBudget;
import numa.agent.observe.RuleActivity;

/**
 * What a call of a method a rule names does, on the calling thread, by the rule's {@code bind}:
 * <ul>
 * <li>{@code caller}: the calling thread is bound for good (it is the worker); a thread it starts
 * later that no rule names is reset under {@code children: reset};</li>
 * <li>{@code call}: bound at entry, restored at exit, on return and on throw;</li>
 * <li>{@code children}: nothing happens to the caller; the call opens a scope in which every
 * platform thread and process this thread starts gets the binding (evaluated at the first of them,
 * so a call that starts nothing costs no evaluation and no kernel call).</li>
 * </ul>
 * Enter and exit pair up through {@link CallState}'s frame stack. Nothing here ever throws into the
 * application: every failure is reported once and leaves the thread as it was.
 */
public final class MethodHook implements ObjIntConsumer<Object>, Runnable {
    private static final Logger LOG = AgentLog.logger("method");
    /** A frame with nothing to undo at exit. */
    private static final Object NOTHING = new Object();

    private final MethodSites sites;
    private final CompletableFuture<BindingContext> ready;
    private final BoundThreads bound;
    private final boolean dryRun;
    /** Rules whose {@code call} bindings were already logged at info (later ones at debug). */
    private final Set<String> callsLogged = ConcurrentHashMap.newKeySet();

    MethodHook(MethodSites sites, CompletableFuture<BindingContext> ready, BoundThreads bound, boolean dryRun) {
        this.sites = sites;
        this.ready = ready;
        this.bound = bound;
        this.dryRun = dryRun;
    }

    /** What {@code call} undoes at exit. */
    private record CallFrame(CallerBinder binder, CallerBinder.Saved saved, String previousRule) {
    }

    /**
     * Method entry: {@code NumaAgentBridge.methodEnter(value, site)}. Pushes exactly one frame
     * (or, out of memory, counts one as lost: see {@link CallState#push}) whatever happens, so that
     * the exit pairs with it; anything that throws after that is reported and leaves the thread as
     * it was. Throwable, VirtualMachineErrors included: see NumaAgentBridge.
     */
    @Override
    public void accept(Object value, int siteId) {
        CallState state;
        try {
            state = CallState.current();
        } catch (Throwable t) {
            // no state: the exit finds none either (CallState.peek), so they still pair
            report(t);
            return;
        }
        boolean pushed = false;
        try {
            MethodSites.Site site = sites.get(siteId);
            if (site != null && !state.evaluating && !state.inHook) {
                RuleActivity.matched(site.rule().name()); // the method ran: one map lookup once marked
            }
            if (site != null && site.children() && !state.evaluating && !state.inHook) {
                // the hot path: a children scope costs one small object and no kernel call until a
                // thread or process starts in it
                CallState.Scope scope = new CallState.Scope(site, value, state.scope);
                state.push(scope);
                pushed = true;
                if (state.topIsOwn()) {
                    state.scope = scope;
                }
                return;
            }
            state.push(NOTHING); // first, so that exit always finds its frame
            pushed = true;
            if (state.evaluating || state.inHook || !state.topIsOwn()) {
                // the agent itself is reading a value of the application (a getter that is advised too),
                // or runs on a class a rule names, or has no frame to undo a binding with: nothing to do
                return;
            }
            state.inHook = true;
            try {
                if (site == null || site.children()) {
                    return;
                }
                if (site.rule().bind() == Rule.BindMode.CALL) {
                    enterCall(state, site, value);
                } else {
                    bindCaller(state, site, value);
                }
            } finally {
                state.inHook = false;
            }
        } catch (Throwable t) {
            if (!pushed) {
                state.push(NOTHING); // never throws
            }
            report(t);
        }
    }

    private static void report(Throwable t) {
        AgentLog.warnOnce(LOG, "enter:" + t.getClass().getName(), "internal error at a call of a method a rule names"
                + " ({}); the thread is left as it was. Please report this", AgentLog.describe(t));
    }

    /** Method exit, on return and on throw: {@code NumaAgentBridge.methodExit()}. */
    @Override
    public void run() {
        CallState state = CallState.peek();
        Object frame = state == null ? null : state.pop();
        if (frame instanceof CallState.Scope scope) {
            state.scope = scope.outer;
            return;
        }
        if (frame == null || frame == NOTHING) {
            return;
        }
        boolean wasInHook = state.inHook;
        state.inHook = true;
        try {
            if (frame instanceof CallFrame call) {
                call.binder().restore(call.saved());
                bound.restore(Thread.currentThread(), call.previousRule());
            }
        } catch (Throwable t) {
            AgentLog.warnOnce(LOG, "exit:" + t.getClass().getName(), "internal error at the end of a call of a method a"
                    + " rule names ({}). Please report this", AgentLog.describe(t));
        } finally {
            state.inHook = wasInHook;
        }
    }

    /** The binding of a call, or null (reported) when there is none. */
    static Binding resolve(BindingContext r, CallState state, MethodSites.Site site, Object value) {
        boolean was = state.evaluating;
        state.evaluating = true;
        try {
            return r.targets().resolveCall(site.rule(), value, site.argCount(),
                    "the call of " + site.describe() + " on thread '" + Thread.currentThread().getName() + "'");
        } finally {
            state.evaluating = was;
        }
    }

    private BindingContext readyFor(MethodSites.Site site) {
        Thread me = Thread.currentThread();
        if (VirtualThreads.isVirtual(me)) {
            AgentLog.warnOnce(LOG, "virtual:" + site.rule().name(), "rule {}: {} was called on a virtual thread, which is"
                    + " never bound (binding it would bind its carrier thread and every virtual thread that runs there);"
                    + " bind: children binds the platform threads such a call starts", site.rule().name(), site.describe());
            return null;
        }
        return Readiness.await(ready, LOG, "thread '" + me.getName() + "'");
    }

    private void bindCaller(CallState state, MethodSites.Site site, Object value) {
        BindingContext r = readyFor(site);
        if (r == null) {
            return;
        }
        Binding target = resolve(r, state, site, value);
        if (target == null) {
            return;
        }
        Thread me = Thread.currentThread();
        String rule = site.rule().name();
        if (target.equals(state.boundForGood) && rule.equals(bound.ruleOf(me))) {
            return; // the worker calls it again: it is already where it belongs
        }
        if (dryRun) {
            state.boundForGood = target;
            log(me, rule, target, true, "caller", site, true);
            return;
        }
        boolean memory;
        try {
            memory = r.binder().bindForGood(target);
        } catch (BindException e) {
            AgentLog.warnOnce(LOG, "bind:" + e.errno(), "thread '{}' not bound: {}", me.getName(), e.getMessage());
            return;
        }
        state.boundForGood = target;
        bound.put(me, rule);
        log(me, rule, target, memory, "caller", site, true);
    }

    private void enterCall(CallState state, MethodSites.Site site, Object value) {
        BindingContext r = readyFor(site);
        if (r == null) {
            return;
        }
        Binding target = resolve(r, state, site, value);
        if (target == null) {
            return;
        }
        Thread me = Thread.currentThread();
        String rule = site.rule().name();
        boolean first = callsLogged.add(rule); // first call of a rule at info, later ones at debug
        if (dryRun) {
            log(me, rule, target, true, "call", site, first);
            return;
        }
        CallerBinder.Saved saved;
        try {
            saved = r.binder().bind(target);
        } catch (BindException e) {
            AgentLog.warnOnce(LOG, "bind:" + e.errno(), "thread '{}' not bound for the call of {}: {}", me.getName(),
                    site.describe(), e.getMessage());
            return;
        }
        String previous = bound.ruleOf(me);
        try {
            bound.put(me, rule);
            state.replaceTop(new CallFrame(r.binder(), saved, previous));
        } catch (Throwable t) {
            // without its frame the exit cannot undo the binding: undo it now, the call runs unbound
            r.binder().restore(saved);
            bound.restore(me, previous);
            throw t;
        }
        log(me, rule, target, saved.memoryApplied(), "call", site, first);
    }

    private void log(Thread me, String rule, Binding target, boolean memoryApplied, String mode, MethodSites.Site site,
                     boolean info) {
        if (info ? !LOG.isInfoEnabled() : !LOG.isDebugEnabled()) {
            return;
        }
        String what = target.device() >= 0 ? "device " + target.device() : "node " + target.node();
        String verb = dryRun ? "would be bound (dry-run) to" : "bound to";
        String message = "thread '{}' (rule {}, {}) {} {} (bind: {}, in {})";
        Object[] args = {me.getName(), rule, what, verb, Described.binding(target, memoryApplied), mode, site.describe()};
        if (info) {
            long n = BoundLineBudget.next(rule);
            if (n > BoundLineBudget.PER_RULE) {
                return;
            }
            LOG.info(message, args);
            if (n == BoundLineBudget.PER_RULE) {
                LOG.info(BoundLineBudget.SPENT, rule, n);
            }
        } else {
            LOG.debug(message, args);
        }
    }
}
