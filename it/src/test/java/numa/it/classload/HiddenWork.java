package numa.it.classload;

/** Never loaded as itself: {@link LambdasApp} defines its bytes as a hidden class. */
public final class HiddenWork implements LambdasApp.Work {
    @Override
    public String work(int device) {
        return Probe.cpus();
    }
}
