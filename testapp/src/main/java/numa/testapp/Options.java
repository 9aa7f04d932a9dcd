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
    /** Workers started while holding, when {@code <control-dir>/start-late} appears (attach tests). */
    int lateWorkers = 0;
    /** While holding: {@code start-late} starts the late workers, {@code release} ends the hold. */
    java.nio.file.Path controlDir = null;

    static final String USAGE = "usage: java -jar testapp.jar [--devices=N] [--pool=K] [--hold-ms=M]"
            + " [--worker-class | --virtual-workers] [--virtual-helpers] [--tasks] [--json]"
            + " [--late-workers=N --control-dir=DIR]";

    static Options parse(String[] args) {
        Options o = new Options();
        for (String arg : args) {
            if (arg.startsWith("--devices=")) {
                o.devices = nonNegative(arg, "--devices=");
            } else if (arg.startsWith("--pool=")) {
                o.pool = nonNegative(arg, "--pool=");
            } else if (arg.startsWith("--hold-ms=")) {
                o.holdMs = nonNegative(arg, "--hold-ms=");
            } else if (arg.startsWith("--late-workers=")) {
                o.lateWorkers = nonNegative(arg, "--late-workers=");
            } else if (arg.startsWith("--control-dir=")) {
                o.controlDir = java.nio.file.Path.of(arg.substring("--control-dir=".length()));
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
        if (o.lateWorkers > 0 && (o.controlDir == null || o.holdMs == 0)) {
            throw new IllegalArgumentException("--late-workers needs --control-dir and --hold-ms");
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
