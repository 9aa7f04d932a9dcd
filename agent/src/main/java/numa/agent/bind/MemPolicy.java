package numa.agent.bind;

import java.util.BitSet;

/**
 * A Linux memory policy for the calling thread ({@code set_mempolicy(2)}).
 *
 * @param mode  the policy mode
 * @param nodes the node mask (empty for {@link Mode#DEFAULT})
 */
public record MemPolicy(Mode mode, BitSet nodes) {
    /** The kernel's modes we use, with their {@code MPOL_*} numbers. */
    public enum Mode {
        DEFAULT(0), PREFERRED(1), BIND(2), INTERLEAVE(3), LOCAL(4), PREFERRED_MANY(5), WEIGHTED_INTERLEAVE(6), UNKNOWN(-1);

        public final int kernelValue;

        Mode(int kernelValue) {
            this.kernelValue = kernelValue;
        }

        public static Mode ofKernel(int v) {
            for (Mode m : values()) {
                if (m.kernelValue == v) {
                    return m;
                }
            }
            return UNKNOWN;
        }
    }

    public static final MemPolicy DEFAULT = new MemPolicy(Mode.DEFAULT, new BitSet());

    public MemPolicy {
        nodes = (BitSet) nodes.clone();
    }

    public static MemPolicy onNode(Mode mode, int node) {
        BitSet b = new BitSet();
        b.set(node);
        return new MemPolicy(mode, b);
    }

    @Override
    public BitSet nodes() {
        return (BitSet) nodes.clone();
    }

    /** As in log lines: {@code preferred}, {@code bind}, {@code default}. */
    public String describe() {
        return mode.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
}
