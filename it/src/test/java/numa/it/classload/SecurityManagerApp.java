package numa.it.classload;

/**
 * Runs under a security manager (JDK 17: {@code -Djava.security.manager=allow} and installed here,
 * with {@code install} as the first argument, or {@code -Djava.security.manager} from the start),
 * then starts a worker thread a thread rule names and calls a method a method rule names, each
 * printing its CPUs: the agent's hooks run there with this application's frames on the stack.
 */
public final class SecurityManagerApp {
    private SecurityManagerApp() {
    }

    /** What a method rule names: {@code device: arg0}. */
    public static String create(int device) {
        return Probe.cpus();
    }

    @SuppressWarnings("removal")
    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("install")) {
            System.setSecurityManager(new SecurityManager());
        }
        System.out.println("security manager " + (System.getSecurityManager() != null));
        Probe.onThread("sm-worker-1", () -> Probe.print("sm-worker-1", Probe.cpus()));
        Probe.print("sm-call", create(1));
        System.out.println("done");
    }
}
