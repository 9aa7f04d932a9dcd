package numa.testapp;

import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One method per kind of value a {@code device} or {@code node} expression can read from a call,
 * each called by a thread {@code expr-<name>} that records what it sees inside the call. A test
 * names each method in a rule whose expression gives node 1 (or fails on purpose) and checks the
 * thread's CPUs inside the call. The values are all 1 where the expression is meant to work.
 */
public final class Probes {
    /** A value with a getter, {@code getSlot()}, and one that throws, {@code getBroken()}. */
    public static final class Card {
        private final int slot;

        Card(int slot) {
            this.slot = slot;
        }

        public int getSlot() {
            return slot;
        }

        public int getBroken() {
            throw new IllegalStateException("card not ready");
        }
    }

    /** A value with nothing but a private field {@code node}. */
    public static final class Secret {
        @SuppressWarnings("unused")
        private final long node;

        Secret(long node) {
            this.node = node;
        }
    }

    private final Device device;

    private Probes(Device device) {
        this.device = device;
    }

    private static void seen() {
        Calls.record("call", null, "in-call");
    }

    public static void viaInt(int node) { seen(); }
    public static void viaLong(long node) { seen(); }
    public static void viaShort(short node) { seen(); }
    public static void viaByte(byte node) { seen(); }
    public static void viaBoxed(Integer node) { seen(); }
    public static void viaBigInteger(BigInteger node) { seen(); }
    public static void viaAtomic(AtomicLong node) { seen(); }
    public static void viaWholeDouble(Double node) { seen(); }
    public static void viaString(String node) { seen(); }
    public static void viaGetter(Card card) { seen(); }
    public static void viaDevice(Device device) { seen(); }
    public static void viaPrivateField(Secret secret) { seen(); }
    public static void viaSecondArgument(String name, int node) { seen(); }
    public void viaThis() { seen(); }

    // each of these fails to give a node, on purpose
    public static void viaNull(Device device) { seen(); }
    public static void viaMissingMember(Device device) { seen(); }
    public static void viaThrowingGetter(Card card) { seen(); }
    public static void viaWord(String node) { seen(); }
    public static void viaFraction(double node) { seen(); }
    public static void viaNegative(int node) { seen(); }
    public static void viaHuge(long node) { seen(); }
    public static void viaStaticThis() { seen(); }
    public static void viaMissingArgument(int node) { seen(); }
    public static void viaFlag(boolean node) { seen(); }

    /** Every probe, by the name its thread has after {@code expr-}. */
    static Map<String, Runnable> all() {
        Map<String, Runnable> p = new LinkedHashMap<>();
        p.put("int", () -> viaInt(1));
        p.put("long", () -> viaLong(1L));
        p.put("short", () -> viaShort((short) 1));
        p.put("byte", () -> viaByte((byte) 1));
        p.put("boxed", () -> viaBoxed(Integer.valueOf(1)));
        p.put("biginteger", () -> viaBigInteger(BigInteger.ONE));
        p.put("atomic", () -> viaAtomic(new AtomicLong(1)));
        p.put("whole-double", () -> viaWholeDouble(1.0));
        p.put("string", () -> viaString("1"));
        p.put("getter", () -> viaGetter(new Card(1)));
        p.put("device", () -> viaDevice(new Device(1)));
        p.put("private-field", () -> viaPrivateField(new Secret(1)));
        p.put("second-argument", () -> viaSecondArgument("gpu", 1));
        p.put("this", () -> new Probes(new Device(1)).viaThis());
        p.put("null", () -> viaNull(null));
        p.put("missing-member", () -> viaMissingMember(new Device(1)));
        p.put("throwing-getter", () -> viaThrowingGetter(new Card(1)));
        p.put("word", () -> viaWord("gpu"));
        p.put("fraction", () -> viaFraction(1.5));
        p.put("negative", () -> viaNegative(-1));
        p.put("huge", () -> viaHuge(Long.MAX_VALUE));
        p.put("static-this", Probes::viaStaticThis);
        p.put("missing-argument", () -> viaMissingArgument(1));
        p.put("flag", () -> viaFlag(true));
        return p;
    }
}
