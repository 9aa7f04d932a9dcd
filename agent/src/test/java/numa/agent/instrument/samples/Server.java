package numa.agent.instrument.samples;

import java.util.List;
import java.util.function.IntSupplier;

/** Method shapes the advice must survive: each is called through the instrumented copy. */
public class Server {
    private int calls;

    public String createServer(Device device) {
        calls++;
        return "server-" + device.index();
    }

    public String createServer(int index) {
        return "int-" + index;
    }

    public String createServer(String index) {
        return "str-" + index;
    }

    public static long staticCreate(long before, double alsoWide, Device device) {
        return before + (long) alsoWide + device.index();
    }

    /** Starts with a loop: its first instruction is a branch target with a stack map frame. */
    public int loopFirst(int n) {
        int sum = 0;
        while (n > 0) {
            sum += n--;
        }
        return sum;
    }

    /** Catches its own exception: its handler must run before the agent's. */
    public String catchesItsOwn(Device device) {
        try {
            if (device.index() > 0) {
                throw new IllegalStateException("inner");
            }
            return "none";
        } catch (IllegalStateException e) {
            return "caught " + e.getMessage();
        } finally {
            calls++;
        }
    }

    public void throwsOut(Device device) {
        throw new IllegalArgumentException("device " + device.index());
    }

    public synchronized double synchronizedWide(double a, long b) {
        return a + b;
    }

    public String switches(int k) {
        switch (k) {
            case 0:
                return "zero";
            case 1:
                return "one";
            case 7:
                return "seven";
            default:
                return "many";
        }
    }

    public int lambdaInside(int k) {
        IntSupplier s = () -> k * 2;
        return List.of(1, 2, 3).stream().mapToInt(i -> i + s.getAsInt()).sum();
    }

    public int recursive(int n) {
        return n <= 0 ? 0 : 1 + recursive(n - 1);
    }

    public void nothing(boolean flag, char c, byte b, short s, float f) {
        calls += flag ? c + b + s + (int) f : 0;
    }

    public int calls() {
        return calls;
    }
}
