package numa.agent.observe;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;

import javax.management.ObjectName;

import org.junit.jupiter.api.Test;

/**
 * The MBean registers itself once the platform MBean server exists, without creating it. (This
 * test JVM has it already, or creates it here; one look of the agent's thread finds it.)
 */
class JmxRegistrationTest {
    @Test
    void the_agents_thread_registers_once_the_platform_server_exists() throws Exception {
        ManagementFactory.getPlatformMBeanServer();
        assertThat(JmxRegistration.AGENT_THREAD).hasSizeLessThanOrEqualTo(15);
        JmxRegistration.registerIfServerExists();
        assertThat(ManagementFactory.getPlatformMBeanServer().isRegistered(new ObjectName(JmxRegistration.OBJECT_NAME))).isTrue();
        assertThat(ManagementFactory.getPlatformMBeanServer().getAttribute(new ObjectName(JmxRegistration.OBJECT_NAME),
                "Version")).isEqualTo("unknown"); // not run from the jar
        JmxRegistration.registerNow(); // a second registration is a no-op, not an error
    }
}
