package dev.soma.spiking;

/**
 * Reading a class out of spikes: the output neuron that spiked most, or the one that spiked first.
 * Ties go to the lower index unless a tie-breaker says otherwise.
 */
public final class Decoders {

    private Decoders() {
    }

    /** The index of the largest spike count; ties go to the lower index. */
    public static int spikeCount(int[] counts) {
        return spikeCount(counts, null);
    }

    /**
     * The index of the largest spike count, ties broken by the larger {@code tieBreak} (for instance
     * the membrane potentials left over), then by the lower index. {@code tieBreak} may be null.
     */
    public static int spikeCount(int[] counts, float[] tieBreak) {
        if (counts.length == 0) {
            throw new IllegalArgumentException("no output neurons to decode");
        }
        int best = 0;
        for (int i = 1; i < counts.length; i++) {
            boolean more = counts[i] > counts[best];
            boolean tiedButHigher = counts[i] == counts[best] && tieBreak != null && tieBreak[i] > tieBreak[best];
            if (more || tiedButHigher) {
                best = i;
            }
        }
        return best;
    }

    /**
     * The index of the earliest first spike, {@code firstSpikeSteps[i]} being neuron {@code i}'s first
     * step or {@link Encoders#NEVER}; ties go to the lower index; {@link Encoders#NEVER} if none spiked.
     */
    public static int firstSpike(int[] firstSpikeSteps) {
        int best = Encoders.NEVER;
        for (int i = 0; i < firstSpikeSteps.length; i++) {
            int t = firstSpikeSteps[i];
            if (t != Encoders.NEVER && (best == Encoders.NEVER || t < firstSpikeSteps[best])) {
                best = i;
            }
        }
        return best;
    }
}
