package numa.agent.startup;

import java.lang.instrument.Instrumentation;

import org.slf4j.Logger;

import numa.agent.config.AgentSettings;
import numa.agent.launcher.StartRequest;

/** What every step of one start needs: the launcher's request, the resolved settings, the agent's logger. */
final class StartContext {
    final StartRequest request;
    final AgentSettings settings;
    final Logger log;

    StartContext(StartRequest request, AgentSettings settings, Logger log) {
        this.request = request;
        this.settings = settings;
        this.log = log;
    }

    Instrumentation inst() {
        return request.instrumentation();
    }

    boolean dynamic() {
        return request.dynamic();
    }
}
