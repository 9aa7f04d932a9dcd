package numa.agent.startup;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.function.Predicate;

import org.junit.jupiter.api.Test;

import numa.agent.config.AgentSettings;

/** The start-up's decisions, from facts alone: no Instrumentation, no JVM of its own. */
class StartupPlanTest {
    private static final Predicate<Path> DEFERRABLE = p -> true;
    private static final Predicate<Path> NOT_DEFERRABLE = p -> false;

    private static AgentSettings settings(String args) throws Exception {
        return AgentSettings.resolve(args, Map.of(), new Properties());
    }

    @Test
    void anAttachIsAnAttachWhateverTheConfig() throws Exception {
        assertThat(StartupPlan.of(true, settings("config=a.yaml"), DEFERRABLE)).isEqualTo(StartupPlan.ATTACH);
        assertThat(StartupPlan.of(true, settings(""), NOT_DEFERRABLE)).isEqualTo(StartupPlan.ATTACH);
    }

    @Test
    void aConfigThatCanWaitIsReadInTheBackground() throws Exception {
        assertThat(StartupPlan.of(false, settings("config=a.yaml"), DEFERRABLE)).isEqualTo(StartupPlan.DEFERRED);
        assertThat(StartupPlan.of(false, settings("config=a.yaml"), NOT_DEFERRABLE)).isEqualTo(StartupPlan.AT_PREMAIN);
    }

    @Test
    void noConfigOrOnErrorGivenToTheAgentKeepsEverythingAtPremain() throws Exception {
        assertThat(StartupPlan.of(false, settings(""), DEFERRABLE)).isEqualTo(StartupPlan.AT_PREMAIN);
        // on-error=fail may have to stop the JVM, which only premain may do; warn given explicitly too
        assertThat(StartupPlan.of(false, settings("config=a.yaml,on-error=fail"), DEFERRABLE)).isEqualTo(StartupPlan.AT_PREMAIN);
        assertThat(StartupPlan.of(false, settings("config=a.yaml,on-error=warn"), DEFERRABLE)).isEqualTo(StartupPlan.AT_PREMAIN);
    }

    @Test
    void bindingGoesBeforeTheHooksWhenSomethingMustHappenBeforeMainOrNothingMayWait() {
        for (StartupPlan plan : StartupPlan.values()) {
            assertThat(plan.binding(true, true, false, false)).as("process section, %s", plan)
                    .isEqualTo(StartupPlan.Binding.BEFORE_HOOKS);
            assertThat(plan.binding(false, false, false, false)).as("no rules, %s", plan)
                    .isEqualTo(StartupPlan.Binding.BEFORE_HOOKS);
            assertThat(plan.binding(false, true, true, false)).as("on-error: fail, %s", plan)
                    .isEqualTo(StartupPlan.Binding.BEFORE_HOOKS);
            assertThat(plan.binding(false, true, false, true)).as("a method rule naming JDK classes, %s", plan)
                    .isEqualTo(StartupPlan.Binding.BEFORE_HOOKS);
        }
        assertThat(StartupPlan.ATTACH.binding(false, true, false, false)).isEqualTo(StartupPlan.Binding.BEFORE_HOOKS);
    }

    @Test
    void rulesOnlyLeaveJnaAndDevicesToTheAgentsOwnThread() {
        assertThat(StartupPlan.AT_PREMAIN.binding(false, true, false, false))
                .isEqualTo(StartupPlan.Binding.AFTER_HOOKS_ON_ITS_OWN_THREAD);
        assertThat(StartupPlan.DEFERRED.binding(false, true, false, false))
                .isEqualTo(StartupPlan.Binding.AFTER_HOOKS_RIGHT_HERE);
    }
}
