package numa.agent.startup;

import java.nio.file.Path;
import java.util.function.Predicate;

import numa.agent.config.AgentSettings;

/**
 * When each part of the start-up runs, decided once and from nothing but facts (no
 * Instrumentation, no file but the one the predicate reads): testable on its own.
 */
enum StartupPlan {
    /** At premain: config, topology and hooks before main; JNA and devices may follow ({@link #binding}). */
    AT_PREMAIN,
    /**
     * At premain only Thread is rewritten, with a hook that holds a start until the rules are
     * read; config, topology, hooks, JNA and devices follow on the agent's background thread
     * (reading YAML cold is the largest part of premain: 50-90 ms).
     */
    DEFERRED,
    /** Loaded into a running JVM: everything now, and the threads already running are bound too. */
    ATTACH;

    /**
     * @param deferrable whether a config file can wait for the background ({@link DeferrableConfig#allows(Path)})
     */
    static StartupPlan of(boolean dynamic, AgentSettings settings, Predicate<Path> deferrable) {
        if (dynamic) {
            return ATTACH;
        }
        // on-error given to the agent: its config may have to stop the JVM, which only premain may do
        if (settings.configPath().isPresent() && settings.onError().isEmpty()
                && deferrable.test(Path.of(settings.configPath().get()))) {
            return DEFERRED;
        }
        return AT_PREMAIN;
    }

    /** When JNA, the binder and the devices are prepared, once the config is read. */
    enum Binding {
        /** Before the hooks are installed, on the thread that reads the config: nothing ever waits for it. */
        BEFORE_HOOKS,
        /** After the hooks, on a thread of the agent's own: the application's start goes on meanwhile. */
        AFTER_HOOKS_ON_ITS_OWN_THREAD,
        /** After the hooks, on the background start-up thread that read the config (already the agent's). */
        AFTER_HOOKS_RIGHT_HERE
    }

    /**
     * @param bindProcess     a process section binds the whole JVM: before main
     * @param anyRules        false: only the process section, no hooks at all
     * @param failOnError     an impossible binding must stop the JVM before main
     * @param namesJdkClasses a method rule can name JDK classes the start-up itself runs on other
     *                        threads (JNA's first load runs ldconfig, whose "process reaper" completes
     *                        a CompletableFuture): those must never wait for the start-up
     */
    Binding binding(boolean bindProcess, boolean anyRules, boolean failOnError, boolean namesJdkClasses) {
        if (this == ATTACH || bindProcess || !anyRules || failOnError || namesJdkClasses) {
            return Binding.BEFORE_HOOKS;
        }
        return this == DEFERRED ? Binding.AFTER_HOOKS_RIGHT_HERE : Binding.AFTER_HOOKS_ON_ITS_OWN_THREAD;
    }
}
