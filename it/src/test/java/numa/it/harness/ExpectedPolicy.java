package numa.it.harness;

/**
 * The memory policy the engine must report for a thread, as far as this JDK and this kernel can
 * show it: {@code unknown} before JDK 22 (no FFM to ask with); the agent's policy where the real
 * kernel has memory on the node; and {@code default} where the kernel refuses the policy (a fake
 * node with no real memory behind it), because the SPEC then keeps the CPU binding only and the
 * binding reset left the default policy.
 */
public final class ExpectedPolicy {
    private ExpectedPolicy() {
    }

    /** What a thread the agent did not bind shows. */
    public static String unbound(Jdk jdk) {
        return jdk.canReportMemPolicy() ? "default" : "unknown";
    }

    /** What a thread bound with {@code memory: <mode>} ({@code preferred} or {@code bind}) to {@code node} shows. */
    public static String bound(Jdk jdk, String mode, int node) {
        if (!jdk.canReportMemPolicy()) {
            return "unknown";
        }
        return Host.kernelHasMemoryOn(node) ? mode + ":" + node : "default";
    }
}
