package numa.testapp;

/**
 * The command line of the demo engine. Unknown arguments are an error (exit status 2), so that a
 * test that misspells an option fails loudly instead of testing the defaults.
 */
final class Options {
    int devices = 4;
    int pool = 2;
    long holdMs = 0;
    boolean json = false;
    boolean workerClass = false;
    boolean tasks = false;
    boolean virtualWorkers = false;
    boolean virtualHelpers = false;
    /** MiB each worker allocates off-heap and touches after its first line, then reports where it landed. */
    int touchMb = 0;
    /** The same for helpers, pool threads and main (after starting the workers). */
    int touchOthersMb = 0;

    static final String USAGE = "usage: java -jar testapp.jar [--devices=N] [--pool=K] [--hold-ms=M]"
            + " [--worker-class | --virtual-workers] [--virtual-helpers] [--tasks] [--touch-mb=N] [--touch-others-mb=N] [--json]";

    static Options parse(String[] args) {
        Options o = new Options();
        for (String arg : args) {
            if (arg.startsWith("--devices=")) {
                o.devices = nonNegative(arg, "--devices=");
            } else if (arg.startsWith("--pool=")) {
                o.pool = nonNegative(arg, "--pool=");
            } else if (arg.startsWith("--hold-ms=")) {
                o.holdMs = nonNegative(arg, "--hold-ms=");
            } else if (arg.startsWith("--touch-mb=")) {
                o.touchMb = nonNegative(arg, "--touch-mb=");
            } else if (arg.startsWith("--touch-others-mb=")) {
                o.touchOthersMb = nonNegative(arg, "--touch-others-mb=");
            } else if (arg.equals("--json")) {
                o.json = true;
            } else if (arg.equals("--worker-class")) {
                o.workerClass = true;
            } else if (arg.equals("--tasks")) {
                o.tasks = true;
            } else if (arg.equals("--virtual-workers")) {
                o.virtualWorkers = true;
            } else if (arg.equals("--virtual-helpers")) {
                o.virtualHelpers = true;
            } else {
                throw new IllegalArgumentException("unknown argument '" + arg + "'");
            }
        }
        if (o.workerClass && o.virtualWorkers) {
            throw new IllegalArgumentException("--worker-class and --virtual-workers exclude each other");
        }
        if ((o.virtualWorkers || o.virtualHelpers) && !VirtualThreads.supported()) {
            throw new IllegalArgumentException("--virtual-workers and --virtual-helpers need JDK 21 or newer");
        }
        return o;
    }

    private static int nonNegative(String arg, String prefix) {
        String value = arg.substring(prefix.length());
        try {
            int n = Integer.parseInt(value);
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(prefix + " wants a number >= 0, got '" + value + "'");
    }
}
