package numa.it.classload;

import java.io.InputStream;
import java.lang.invoke.MethodHandles;

/**
 * Classes the JVM makes at run time: lambdas and {@code Lookup.defineHiddenClass} classes (no
 * class file a loader can serve, a name with a {@code /0x...} suffix), an anonymous Thread
 * subclass, and a Runnable lambda handed to {@code new Thread}. Prints what each call or thread
 * saw of its CPUs.
 */
public final class LambdasApp {
    private LambdasApp() {
    }

    /** The interface a method rule names; implemented by a class, a lambda and a hidden class. */
    public interface Work {
        String work(int device);
    }

    /** An ordinary implementation: the control. */
    public static final class NamedWork implements Work {
        @Override
        public String work(int device) {
            return Probe.cpus();
        }
    }

    public static void main(String[] args) throws Exception {
        Probe.print("named-work", new NamedWork().work(1));
        Work lambda = device -> Probe.cpus();
        Probe.print("lambda-work", lambda.work(1));
        MethodHandles.Lookup lookup = MethodHandles.lookup();
        Class<?> hiddenWork = lookup.defineHiddenClass(bytesOf("HiddenWork"), true).lookupClass();
        Probe.print("hidden-work", ((Work) hiddenWork.getDeclaredConstructor().newInstance()).work(1));

        Class<?> hiddenThread = lookup.defineHiddenClass(bytesOf("HiddenThread"), true).lookupClass();
        System.out.println("hidden thread class " + hiddenThread.getName());
        Thread t = (Thread) hiddenThread.getDeclaredConstructor().newInstance();
        t.start();
        t.join();

        Thread anonymous = new Thread("anonymous-thread") {
            @Override
            public void run() {
                Probe.print("anonymous-thread", Probe.cpus());
            }
        };
        anonymous.start();
        anonymous.join();

        Probe.onThread("lambda-runnable", () -> Probe.print("lambda-runnable", Probe.cpus()));
        System.out.println("done");
    }

    /** The class file of a class of this package: defined again, as a hidden class. */
    private static byte[] bytesOf(String simpleName) throws Exception {
        try (InputStream in = LambdasApp.class.getResourceAsStream(simpleName + ".class")) {
            return in.readAllBytes();
        }
    }
}
