package numa.agent.startup;

import org.slf4j.Logger;

import numa.agent.config.BindingConfig;
import numa.agent.config.ConfigException;

/**
 * The only place where the start-up says that the agent could not start, and the only place
 * where it stops the JVM. The application always runs, unbound where the agent could not decide,
 * unless {@code on-error: fail} asks for a stop; and that stop happens before {@code main} or
 * never (a config read in the background says so instead: {@link #tooLateToFail}).
 */
final class FailurePolicy {
    /** At most this many config errors are printed at start; {@code check} lists them all. */
    private static final int ERRORS_SHOWN = 100;

    private FailurePolicy() {
    }

    /** Something the agent did not expect: the application runs unbound. */
    static void couldNotStart(Logger log, Throwable t) {
        log.error("could not start ({}); the application runs without NUMA binding. Please report this", t.toString(), t);
        AgentObservability.state("not binding: start-up failed (" + t + ")");
    }

    /**
     * An invalid config: every error (up to {@link #ERRORS_SHOWN}), then the JVM stops when
     * {@code fail}, else the application runs unbound.
     */
    static void invalidConfig(Logger log, ConfigException e, boolean fail) {
        java.util.List<ConfigException> all = e.all();
        for (int i = 0; i < all.size() && i < ERRORS_SHOWN; i++) {
            log.error("{}", all.get(i).getMessage());
        }
        if (all.size() > ERRORS_SHOWN) {
            log.error("... and {} more errors (numa-agent check lists them all)", all.size() - ERRORS_SHOWN);
        }
        AgentObservability.state("not binding: the config is invalid (see problems)");
        if (fail) {
            log.error("stopping the JVM (binding.on-error: fail); exit status {}", BindingConfig.FAIL_EXIT_STATUS);
            System.exit(BindingConfig.FAIL_EXIT_STATUS);
        }
        log.warn("the application runs without NUMA binding (binding.on-error: warn)");
    }

    /** An impossible binding under {@code on-error: fail}, before main: the JVM stops. */
    static void stop(Logger log, FatalBindingError e) {
        log.error("{}; stopping the JVM (binding.on-error: fail); exit status {}", e.getMessage(),
                BindingConfig.FAIL_EXIT_STATUS);
        System.exit(BindingConfig.FAIL_EXIT_STATUS);
    }

    /**
     * A config read in the background that asks for {@code on-error: fail} (which the raw-text
     * scan keeps at premain, so only a config that hides it can get here): main already runs, and
     * stopping the JVM now could cut the application's work in half.
     */
    static void tooLateToFail(Logger log) {
        log.error("binding.on-error: fail is not applied: the config was read after main had started, and the agent"
                + " never stops a running application; the problems above are warnings. Write on-error: fail plainly"
                + " (no escapes, aliases or tags) so that it is seen before main");
    }
}
