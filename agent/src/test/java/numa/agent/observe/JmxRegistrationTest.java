package numa.agent.observe;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;

import javax.management.ObjectName;

import org.junit.jupiter.api.Test;

/**
 * The MBean registers itself once the platform MBean server exists, without creating it. (This
 * test JVM has it already, or creates it here; the beacon must find it within its poll period.)
 */
class JmxRegistrationTest {
    @Test
    void the_beacon_registers_once_the_platform_server_exists_and_ends() throws Exception {
        ManagementFactory.getPlatformMBeanServer();
        Thread[] beacon = new Thread[1];
        beacon[0] = new Thread(JmxRegistration::awaitPlatformServerAndRegister, JmxRegistration.AGENT_THREAD);
        beacon[0].setDaemon(true);
        beacon[0].start();
        assertThat(beacon[0].getName()).isEqualTo(JmxRegistration.AGENT_THREAD).hasSizeLessThanOrEqualTo(15);
        beacon[0].join(10_000);
        assertThat(beacon[0].isAlive()).isFalse();
        assertThat(ManagementFactory.getPlatformMBeanServer().isRegistered(new ObjectName(JmxRegistration.OBJECT_NAME))).isTrue();
        assertThat(ManagementFactory.getPlatformMBeanServer().getAttribute(new ObjectName(JmxRegistration.OBJECT_NAME),
                "Version")).isEqualTo("unknown"); // not run from the jar
        JmxRegistration.registerNow(); // a second registration is a no-op, not an error
    }
}
