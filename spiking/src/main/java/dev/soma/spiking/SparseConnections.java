package dev.soma.spiking;

import dev.soma.tensor.Generator;
import java.util.Arrays;

/**
 * The synapses of a projection in compressed sparse rows, by source neuron: the synapses of source
 * {@code i} are {@code rowStart[i] ≤ s < rowStart[i + 1]}, each a target index {@code targets[s]}
 * (int) and a weight {@code weights[s]} (float). A spike of {@code i} walks one contiguous run of
 * both arrays. Storage is 8 bytes per synapse, plus 4 per source neuron for the row starts
 * ({@link #bytesPerSynapse()}).
 */
public final class SparseConnections {

    private final int sources;
    private final int targetCount;
    final int[] rowStart;
    final int[] targets;
    final float[] weights;

    SparseConnections(int sources, int targetCount, int[] rowStart, int[] targets, float[] weights) {
        this.sources = sources;
        this.targetCount = targetCount;
        this.rowStart = rowStart;
        this.targets = targets;
        this.weights = weights;
    }

    /**
     * Each (source, target) pair connected independently with probability {@code p}, as Brian2's
     * {@code connect(p=...)} (self-connections included when source and target are the same group).
     * For each source the next target is found by a geometric skip, {@code ⌊ln U / ln(1 − p)⌋}, so the
     * cost is proportional to the synapses made, not to all pairs.
     */
    public static SparseConnections fixedProbability(int sources, int targetCount, double p, double weight, Generator g) {
        checkSizes(sources, targetCount);
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("connection probability must be in [0, 1], got " + p);
        }
        int[] rowStart = new int[sources + 1];
        int[] targets = new int[Math.max(16, (int) Math.min(Integer.MAX_VALUE - 8, 1.1 * p * sources * targetCount + 16))];
        int count = 0;
        double logMiss = Math.log1p(-p);
        for (int i = 0; i < sources; i++) {
            rowStart[i] = count;
            if (p == 0) {
                continue;
            }
            long j = -1;
            while (true) {
                j += p == 1 ? 1 : 1 + (long) Math.floor(Math.log(1 - g.nextDouble()) / logMiss);
                if (j >= targetCount) {
                    break;
                }
                if (count == targets.length) {
                    targets = Arrays.copyOf(targets, grow(targets.length));
                }
                targets[count++] = (int) j;
            }
        }
        rowStart[sources] = count;
        targets = Arrays.copyOf(targets, count);
        float[] weights = new float[count];
        Arrays.fill(weights, (float) weight);
        return new SparseConnections(sources, targetCount, rowStart, targets, weights);
    }

    /**
     * Each target receives exactly {@code inDegree} synapses from sources drawn uniformly (with
     * repetition allowed, as NEST's {@code fixed_indegree} by default). Built in two passes over the
     * same random sequence, the first counting each source's synapses, so no list of pairs is held.
     */
    public static SparseConnections fixedInDegree(int sources, int targetCount, int inDegree, double weight, Generator g) {
        checkSizes(sources, targetCount);
        if (inDegree < 0) {
            throw new IllegalArgumentException("in-degree must be >= 0, got " + inDegree);
        }
        long total = (long) inDegree * targetCount;
        if (total > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("too many synapses for one projection: " + total);
        }
        long seed = g.nextLong();
        int[] rowStart = new int[sources + 1];
        Generator draws = new Generator(seed);
        for (int t = 0; t < targetCount; t++) {
            for (int k = 0; k < inDegree; k++) {
                rowStart[draws.nextInt(sources) + 1]++;
            }
        }
        for (int i = 0; i < sources; i++) {
            rowStart[i + 1] += rowStart[i];
        }
        int[] next = Arrays.copyOf(rowStart, sources);
        int[] targets = new int[(int) total];
        draws = new Generator(seed);
        for (int t = 0; t < targetCount; t++) {
            for (int k = 0; k < inDegree; k++) {
                targets[next[draws.nextInt(sources)]++] = t;
            }
        }
        float[] weights = new float[(int) total];
        Arrays.fill(weights, (float) weight);
        return new SparseConnections(sources, targetCount, rowStart, targets, weights);
    }

    private static void checkSizes(int sources, int targetCount) {
        if (sources < 1 || targetCount < 1) {
            throw new IllegalArgumentException("a projection needs sources and targets, got " + sources + " and " + targetCount);
        }
    }

    private static int grow(int length) {
        return (int) Math.min(Integer.MAX_VALUE - 8, length + (long) (length >> 1) + 16);
    }

    /** The number of synapses. */
    public int synapses() {
        return targets.length;
    }

    public int sources() {
        return sources;
    }

    public int targetCount() {
        return targetCount;
    }

    /** The synapses leaving {@code source}. */
    public int outDegree(int source) {
        return rowStart[source + 1] - rowStart[source];
    }

    /** The targets of {@code source}'s synapses, in increasing order (a copy). */
    public int[] targetsOf(int source) {
        return Arrays.copyOfRange(targets, rowStart[source], rowStart[source + 1]);
    }

    /** The weights of {@code source}'s synapses, in the order of {@link #targetsOf} (a copy). */
    public float[] weightsOf(int source) {
        return Arrays.copyOfRange(weights, rowStart[source], rowStart[source + 1]);
    }

    /** Bytes of storage per synapse: 4 (target) + 4 (weight) + 4 × (sources + 1) / synapses. */
    public double bytesPerSynapse() {
        long bytes = 4L * targets.length + 4L * weights.length + 4L * rowStart.length;
        return targets.length == 0 ? Double.NaN : (double) bytes / targets.length;
    }

    /** Adds the weights of {@code source}'s synapses into {@code input} at their targets. */
    void deliver(int source, double[] input) {
        int[] t = targets;
        float[] w = weights;
        for (int s = rowStart[source], end = rowStart[source + 1]; s < end; s++) {
            input[t[s]] += w[s];
        }
    }
}
