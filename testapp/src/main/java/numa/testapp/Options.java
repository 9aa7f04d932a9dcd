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
    /** MiB each worker allocates off-heap and touches after its first line, then reports where it landed. */
    int touchMb = 0;
    /** The same for helpers, pool threads and main (after starting the workers). */
    int touchOthersMb = 0;
    /** {@code --methods=a,b}: method shapes to run instead of the thread engine (see MethodShapes). */
    java.util.List<String> methods = new java.util.ArrayList<>();
    /** {@code --spawn-workers=N}: worker processes to spawn instead of running the thread engine. */
    int spawnWorkers = 0;
    String spawnWith = "builder";
    java.util.List<String> childJvmArgs = new java.util.ArrayList<>();
    /** {@code --spawn-worker}: this process is a spawned worker of {@code --device}. */
    boolean spawnWorker = false;
    int device = -1;
    /** {@code --await-file=PATH}: with --methods, load the shapes' classes, then wait for PATH to exist. */
    String awaitFile;
    /** {@code --serve-seconds=N}: serve synthetic requests with thread churn for N seconds (0: until killed). */
    Integer serveSeconds;
    int clients = 2;
    int requestsPerWorker = 500;
    int helperEvery = 50;
    int clientPauseUs = 500;

    static final String USAGE = "usage: java -jar testapp.jar [--devices=N] [--pool=K] [--hold-ms=M]"
            + " [--worker-class | --virtual-workers] [--virtual-helpers] [--tasks] [--touch-mb=N] [--touch-others-mb=N] [--json]"
            + " [--late-workers=N --control-dir=DIR]\n"
            + "       java -jar testapp.jar --methods=all|" + String.join(",", MethodShapes.ALL) + " [--devices=N]"
            + " [--await-file=PATH] [--json]\n"
            + "       java -jar testapp.jar --spawn-workers=N [--spawn-with=builder|exec|launcher]"
            + " [--child-jvm-arg=ARG]... [--tasks] [--json]\n"
            + "       java -jar testapp.jar --spawn-worker --device=N\n"
            + "       java -jar testapp.jar --serve-seconds=N [--devices=N] [--clients=N] [--requests-per-worker=N]"
            + " [--helper-every=N] [--client-pause-us=N]";

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
            } else if (arg.startsWith("--methods=")) {
                String list = arg.substring("--methods=".length());
                o.methods = list.equals("all") ? MethodShapes.ALL : java.util.List.of(list.split(","));
                for (String m : o.methods) {
                    if (!MethodShapes.ALL.contains(m)) {
                        throw new IllegalArgumentException("unknown method shape '" + m + "' (known: all, "
                                + String.join(", ", MethodShapes.ALL) + ")");
                    }
                }
            } else if (arg.startsWith("--spawn-workers=")) {
                o.spawnWorkers = nonNegative(arg, "--spawn-workers=");
            } else if (arg.startsWith("--spawn-with=")) {
                o.spawnWith = arg.substring("--spawn-with=".length());
                if (!java.util.List.of("builder", "exec", "launcher").contains(o.spawnWith)) {
                    throw new IllegalArgumentException("--spawn-with= wants builder, exec or launcher, got '" + o.spawnWith + "'");
                }
            } else if (arg.startsWith("--child-jvm-arg=")) {
                o.childJvmArgs.add(arg.substring("--child-jvm-arg=".length()));
            } else if (arg.startsWith("--await-file=")) {
                o.awaitFile = arg.substring("--await-file=".length());
            } else if (arg.startsWith("--serve-seconds=")) {
                o.serveSeconds = nonNegative(arg, "--serve-seconds=");
            } else if (arg.startsWith("--clients=")) {
                o.clients = nonNegative(arg, "--clients=");
            } else if (arg.startsWith("--requests-per-worker=")) {
                o.requestsPerWorker = nonNegative(arg, "--requests-per-worker=");
            } else if (arg.startsWith("--helper-every=")) {
                o.helperEvery = nonNegative(arg, "--helper-every=");
            } else if (arg.startsWith("--client-pause-us=")) {
                o.clientPauseUs = nonNegative(arg, "--client-pause-us=");
            } else if (arg.equals("--spawn-worker")) {
                o.spawnWorker = true;
            } else if (arg.startsWith("--device=")) {
                o.device = nonNegative(arg, "--device=");
            } else {
                throw new IllegalArgumentException("unknown argument '" + arg + "'");
            }
        }
        if (o.spawnWorker && o.device < 0) {
            throw new IllegalArgumentException("--spawn-worker needs --device=N");
        }
        if (!o.spawnWorker && o.device >= 0) {
            // the classic slip for --devices=N: say so rather than run the defaults
            throw new IllegalArgumentException("unknown argument '--device=" + o.device + "' (--device=N goes with"
                    + " --spawn-worker; did you mean --devices=N?)");
        }
        if (o.serveSeconds != null && (o.devices == 0 || o.clients == 0 || o.requestsPerWorker == 0)) {
            throw new IllegalArgumentException("--serve-seconds needs --devices, --clients and --requests-per-worker above 0");
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
