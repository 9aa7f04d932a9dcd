package numa.it.classload;

/** Never loaded as itself: {@link LambdasApp} defines its bytes as a hidden class and starts one. */
public final class HiddenThread extends Thread {
    public HiddenThread() {
        super("hidden-thread");
    }

    @Override
    public void run() {
        Probe.print("hidden-thread", Probe.cpus());
    }
}
