package numa.agent.instrument;

import numa.agent.bind.CallerBinder;
import numa.agent.rules.RuleTargets;

/**
 * What every hook (thread, method, process) needs to bind: the rules' targets on this machine and
 * the binder of the calling thread. It exists once JNA and the devices are ready; the hooks get it
 * through a future that the start-up completes (see {@link Readiness}).
 */
public record BindingContext(RuleTargets targets, CallerBinder binder) {
}
