package numa.agent.startup;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

import org.slf4j.Logger;

import numa.agent.config.AgentConfig;
import numa.agent.config.BindingConfig;
import numa.agent.config.ConfigException;
import numa.agent.config.ConfigLoader;
import numa.agent.instrument.ThreadStartHook;

/** Reads the config, then hands over to {@link BindingStartup}; an invalid config goes to {@link FailurePolicy}. */
final class ConfiguredStart {
    private ConfiguredStart() {
    }

    /**
     * Returns the Thread.start hook it installed, or null.
     *
     * @param pending    null unless {@code plan} is {@link StartupPlan#DEFERRED}: then what the waiting
     *                   Thread.start hook hands over to, completed as soon as the rules can decide
     *                   (before JNA and the devices), so that a start no rule names never waits for those
     * @param configRead completed once the config is read, or found invalid (null: none)
     */
    static ThreadStartHook run(StartContext context, StartupPlan plan, PhaseTimer timer,
                               CompletableFuture<ThreadStartHook> pending, CompletableFuture<Void> configRead) {
        Logger log = context.log;
        boolean background = plan == StartupPlan.DEFERRED;
        AgentConfig config;
        try {
            config = context.settings.configPath().isPresent()
                    ? ConfigLoader.load(Path.of(context.settings.configPath().get()), new ConfigWarnings(log))
                    : AgentConfig.empty();
            timer.mark("config");
        } catch (ConfigException e) {
            boolean fail = context.settings.onError().isPresent()
                    ? context.settings.onError().get() == BindingConfig.OnError.FAIL
                    : e.position() != null && failRequested(e);
            if (fail && background) {
                FailurePolicy.invalidConfig(log, e, false);
                FailurePolicy.tooLateToFail(log);
            } else {
                FailurePolicy.invalidConfig(log, e, fail);
            }
            return null;
        } finally {
            if (configRead != null) {
                configRead.complete(null);
            }
        }
        BindingStartup startup = new BindingStartup(context, config, plan, timer, pending);
        try {
            startup.run();
        } catch (FatalBindingError e) {
            FailurePolicy.stop(log, e);
        } catch (Throwable t) {
            FailurePolicy.couldNotStart(log, t);
        }
        if (log.isDebugEnabled()) {
            log.debug("{} took {}", background ? "the background start-up" : "premain", timer.summary());
        }
        return startup.threadHook();
    }

    /** on-error: fail applies even to a file that does not parse, so it is looked for in the raw text. */
    private static boolean failRequested(ConfigException e) {
        try {
            return DeferrableConfig.asksToFail(Files.readString(Path.of(e.position().file())));
        } catch (Exception unreadable) {
            return false;
        }
    }

    /** Each config warning as one line. A class, not a lambda: this runs at premain, where each lambda costs ~1 ms. */
    private static final class ConfigWarnings implements Consumer<ConfigException> {
        private final Logger log;

        ConfigWarnings(Logger log) {
            this.log = log;
        }

        @Override
        public void accept(ConfigException warning) {
            log.warn("{}", warning.getMessage());
        }
    }
}
