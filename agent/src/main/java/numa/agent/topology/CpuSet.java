package numa.agent.topology;

import java.util.BitSet;
import java.util.stream.IntStream;

/**
 * An immutable set of CPU numbers, written as Linux cpulists ({@code 0-3,8,10-11}).
 */
public final class CpuSet {
    public static final CpuSet EMPTY = new CpuSet(new BitSet());

    private final BitSet bits;

    private CpuSet(BitSet bits) {
        this.bits = bits;
    }

    public static CpuSet of(int... cpus) {
        BitSet b = new BitSet();
        for (int c : cpus) {
            if (c < 0) {
                throw new IllegalArgumentException("negative CPU number " + c);
            }
            b.set(c);
        }
        return new CpuSet(b);
    }

    public static CpuSet fromBits(BitSet bits) {
        return new CpuSet((BitSet) bits.clone());
    }

    /**
     * Parses a Linux cpulist such as {@code 0-3,8,10-11} (also {@code 0-15:2} strides are not used
     * by the kernel in sysfs, so they are rejected). Blank means empty.
     *
     * @throws IllegalArgumentException with the offending part
     */
    public static CpuSet parse(String list) {
        BitSet b = new BitSet();
        String s = list.trim();
        if (s.isEmpty()) {
            return EMPTY;
        }
        for (String part : s.split(",")) {
            String p = part.trim();
            int dash = p.indexOf('-');
            try {
                if (dash < 0) {
                    b.set(Integer.parseInt(p));
                } else {
                    int lo = Integer.parseInt(p.substring(0, dash).trim());
                    int hi = Integer.parseInt(p.substring(dash + 1).trim());
                    if (lo < 0 || hi < lo) {
                        throw new IllegalArgumentException("bad CPU range '" + p + "' in '" + list + "'");
                    }
                    b.set(lo, hi + 1);
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bad CPU list '" + list + "': '" + p + "' is not a number or range");
            }
        }
        return new CpuSet(b);
    }

    /**
     * Parses the kernel's hex mask form ({@code Cpus_allowed: ff,ffffffff}): comma-separated 32-bit
     * words, most significant first.
     */
    public static CpuSet parseMask(String mask) {
        String[] words = mask.trim().split(",");
        BitSet b = new BitSet();
        int bit = 0;
        for (int i = words.length - 1; i >= 0; i--, bit += 32) {
            long w = Long.parseLong(words[i].trim(), 16);
            for (int j = 0; j < 32; j++) {
                if ((w & (1L << j)) != 0) {
                    b.set(bit + j);
                }
            }
        }
        return new CpuSet(b);
    }

    public boolean contains(int cpu) {
        return bits.get(cpu);
    }

    public boolean isEmpty() {
        return bits.isEmpty();
    }

    public int size() {
        return bits.cardinality();
    }

    /** Highest CPU number plus one; 0 when empty. */
    public int length() {
        return bits.length();
    }

    public IntStream stream() {
        return bits.stream();
    }

    public int[] toArray() {
        return bits.stream().toArray();
    }

    public CpuSet intersect(CpuSet other) {
        BitSet b = (BitSet) bits.clone();
        b.and(other.bits);
        return new CpuSet(b);
    }

    public CpuSet union(CpuSet other) {
        BitSet b = (BitSet) bits.clone();
        b.or(other.bits);
        return new CpuSet(b);
    }

    public CpuSet minus(CpuSet other) {
        BitSet b = (BitSet) bits.clone();
        b.andNot(other.bits);
        return new CpuSet(b);
    }

    public boolean intersects(CpuSet other) {
        return bits.intersects(other.bits);
    }

    public boolean containsAll(CpuSet other) {
        return other.minus(this).isEmpty();
    }

    /** The set as 64-bit words, CPU 0 in bit 0 of word 0, as {@code sched_setaffinity} wants it. */
    public long[] toWords(int words) {
        long[] out = new long[words];
        long[] src = bits.toLongArray();
        System.arraycopy(src, 0, out, 0, Math.min(words, src.length));
        return out;
    }

    public static CpuSet fromWords(long[] words) {
        return new CpuSet(BitSet.valueOf(words));
    }

    /** Linux cpulist form, e.g. {@code 0-3,8}; empty string for the empty set. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        int i = bits.nextSetBit(0);
        while (i >= 0) {
            int end = bits.nextClearBit(i) - 1;
            if (sb.length() > 0) {
                sb.append(',');
            }
            sb.append(i);
            if (end > i) {
                sb.append('-').append(end);
            }
            i = bits.nextSetBit(end + 1);
        }
        return sb.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CpuSet && ((CpuSet) o).bits.equals(bits);
    }

    @Override
    public int hashCode() {
        return bits.hashCode();
    }
}
