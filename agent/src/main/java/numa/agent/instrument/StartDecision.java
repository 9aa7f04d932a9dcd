package numa.agent.instrument;

import org.slf4j.Logger;

import numa.agent.bind.Binding;
import numa.agent.observe.BoundLineBudget;

/**
 * What a thread or process about to start gets, and why. Both start hooks decide in the SPEC's
 * order: a rule that names it ({@link Why#RULE}), else the {@code bind: children} call its starter
 * is in ({@link Why#SCOPE}), else the process's original binding when a bound thread starts it under
 * {@code children: reset} ({@link Why#RESET}); threads have one more case, {@link Why#SPAWN}.
 *
 * @param target what the starter is bound to around the start
 * @param rule   the rule that decided (for a reset: the starter's rule)
 * @param via    the method call of a {@code SCOPE} decision, else null
 */
record StartDecision(Binding target, String rule, Why why, String via) {
    enum Why {
        /** a rule names it */
        RULE,
        /** started during a {@code bind: children} call */
        SCOPE,
        /** started by a bound thread, matched by nothing: the original binding */
        RESET,
        /** a thread started while its starter is bound only to spawn a process: what the starter had before */
        SPAWN
    }

    static StartDecision rule(String rule, Binding target) {
        return new StartDecision(target, rule, Why.RULE, null);
    }

    /** The binding of the {@code bind: children} call in progress in {@code state}; null when it has none here. */
    static StartDecision scope(BindingContext r, CallState state) {
        CallState.Scope scope = state.scope;
        Binding target = scope.binding(() -> MethodHook.resolve(r, state, scope.site, scope.value));
        return target == null ? null : new StartDecision(target, scope.site.rule().name(), Why.SCOPE, scope.site.describe());
    }

    static StartDecision reset(BindingContext r, String starterRule) {
        return new StartDecision(r.targets().planner().base(), starterRule, Why.RESET, null);
    }

    static StartDecision spawnWindow(Binding beforeSpawn) {
        return new StartDecision(beforeSpawn, null, Why.SPAWN, null);
    }

    /** A binding of its own (a rule's), rather than a reset or a spawn window. */
    boolean bindsByRule() {
        return why == Why.RULE || why == Why.SCOPE;
    }

    /**
     * The line for one start, after it: bindings are the news (info), resets of children no rule
     * names and spawn windows are detail (debug).
     *
     * @param kind    {@code thread} or {@code process}
     * @param subject the thread's name or the command line, as logged
     */
    void log(Logger log, String kind, String subject, String starter, boolean memoryApplied, boolean dryRun) {
        if (bindsByRule() ? !log.isInfoEnabled() : !log.isDebugEnabled()) {
            return;
        }
        String binding = Described.binding(target, memoryApplied);
        switch (why) {
            case RESET -> log.debug("{} '{}' started by '{}' (rule {}) matches no rule: {} to {} (children: reset)",
                    kind, subject, starter, rule, dryRun ? "would be reset" : "reset", binding);
            case SPAWN -> log.debug("{} '{}' started by '{}' while it spawns a process: {} its own binding ({})",
                    kind, subject, starter, dryRun ? "would keep" : "keeps", binding);
            default -> {
                long n = BoundLineBudget.next(rule);
                if (n > BoundLineBudget.PER_RULE) {
                    return;
                }
                String what = target.device() >= 0 ? "device " + target.device() : "node " + target.node();
                String verb = dryRun ? "would be bound (dry-run) to" : "bound to";
                if (why == Why.SCOPE) {
                    log.info("{} '{}' (rule {}, {}) {} {} (bind: children, started by '{}' in {})", kind, subject, rule,
                            what, verb, binding, starter, via);
                } else {
                    log.info("{} '{}' (rule {}, {}) {} {}", kind, subject, rule, what, verb, binding);
                }
                if (n == BoundLineBudget.PER_RULE) {
                    log.info(BoundLineBudget.SPENT, rule, n);
                }
            }
        }
    }
}
