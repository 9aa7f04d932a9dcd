package numa.it.classload;

/**
 * Runs with {@link CustomSystemLoader} as the system class loader: a thread a thread rule names
 * and a method a method rule names, each printing its CPUs and the loader of this class.
 */
public final class CustomLoaderApp {
    private CustomLoaderApp() {
    }

    public static String create(int device) {
        return Probe.cpus();
    }

    public static void main(String[] args) throws Exception {
        System.out.println("app loader " + CustomLoaderApp.class.getClassLoader().getName()
                + " system loader " + ClassLoader.getSystemClassLoader().getClass().getName());
        Probe.onThread("custom-worker-1", () -> Probe.print("custom-worker-1", Probe.cpus()));
        Probe.print("custom-call", create(1));
        System.out.println("done");
    }
}
