package dev.soma.spiking;

import dev.soma.tensor.Generator;
import java.util.Arrays;

/**
 * The synapses of a projection in compressed sparse rows, by source neuron: the synapses of source
 * {@code i} are {@code rowStart[i] ≤ s < rowStart[i + 1]}, each a target index {@code targets[s]}
 * (int; increasing along a row, repeats allowed), a weight and, optionally, an axonal delay of its own. A spike of {@code i} walks one
 * contiguous run of these arrays.
 *
 * <p>Storage ({@link #bytesPerSynapse()}): 4 bytes per synapse for the target, plus 4 per source
 * neuron for the row starts; a weight per synapse (float, 4 bytes) only when the weights differ: the
 * factories give every synapse the same weight (CUBA's), stored once, and a per-synapse array is
 * made when asked for ({@link #withWeights}) or when plasticity needs one. A delay per synapse
 * (float ms, 4 bytes) only when given ({@link #withDelays}); otherwise the projection's one delay
 * applies to all.
 */
public final class SparseConnections {

    private final int sources;
    private final int targetCount;
    final int[] rowStart;
    final int[] targets;
    /** Each synapse's weight, or null while all share {@link #sharedWeight}. */
    private float[] weights;
    private final float sharedWeight;
    /** Each synapse's axonal delay in ms, or null when the projection's delay applies to all. */
    final float[] delaysMs;

    private SparseConnections(int sources, int targetCount, int[] rowStart, int[] targets, float[] weights,
            float sharedWeight, float[] delaysMs) {
        this.sources = sources;
        this.targetCount = targetCount;
        this.rowStart = rowStart;
        this.targets = targets;
        this.weights = weights;
        this.sharedWeight = sharedWeight;
        this.delaysMs = delaysMs;
    }

    private static SparseConnections shared(int sources, int targetCount, int[] rowStart, int[] targets, double weight) {
        Check.finite("weight", weight, "");
        return new SparseConnections(sources, targetCount, rowStart, targets, null, (float) weight, null);
    }

    /**
     * These synapses with a weight each, {@code weights[s]} for synapse {@code s} in storage order
     * (source by source, as {@link #weightsOf}); the rows and delays are shared with this, not copied.
     */
    public SparseConnections withWeights(float[] weights) {
        if (weights.length != targets.length) {
            throw new IllegalArgumentException("need one weight per synapse: " + targets.length + ", got " + weights.length);
        }
        for (float w : weights) {
            Check.finite("weight", w, "");
        }
        return new SparseConnections(sources, targetCount, rowStart, targets, weights.clone(), sharedWeight, delaysMs);
    }

    /**
     * These synapses with an axonal delay each, {@code delaysMs[s]} ms (finite, ≥ 0) for synapse
     * {@code s} in storage order; they replace the projection's one delay, which must then be 0. The
     * event-driven simulator uses them as they are; the clock-driven one rounds each to whole steps.
     * The rows and weights are shared with this, not copied.
     */
    public SparseConnections withDelays(float[] delaysMs) {
        if (delaysMs.length != targets.length) {
            throw new IllegalArgumentException("need one delay per synapse: " + targets.length + ", got " + delaysMs.length);
        }
        for (float d : delaysMs) {
            Check.nonNegative("delay", d, "ms");
        }
        return new SparseConnections(sources, targetCount, rowStart, targets, weights, sharedWeight, delaysMs.clone());
    }

    /** These synapses with delays drawn uniformly from {@code [minMs, maxMs)}, synapse by synapse. */
    public SparseConnections withUniformDelays(double minMs, double maxMs, Generator g) {
        Check.nonNegative("shortest delay", minMs, "ms");
        if (!(maxMs >= minMs) || !Double.isFinite(maxMs)) {
            throw new IllegalArgumentException("longest delay must be finite and >= the shortest (" + minMs + " ms), got "
                    + maxMs + " ms");
        }
        float[] delays = new float[targets.length];
        for (int s = 0; s < delays.length; s++) {
            delays[s] = (float) (minMs + g.nextDouble() * (maxMs - minMs));
        }
        return withDelays(delays);
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
        return shared(sources, targetCount, rowStart, Arrays.copyOf(targets, count), weight);
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
        return shared(sources, targetCount, rowStart, targets, weight);
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
        if (weights == null) {
            float[] same = new float[outDegree(source)];
            Arrays.fill(same, sharedWeight);
            return same;
        }
        return Arrays.copyOfRange(weights, rowStart[source], rowStart[source + 1]);
    }

    /** Whether each synapse has its own delay ({@link #withDelays}). */
    public boolean hasDelays() {
        return delaysMs != null;
    }

    /** The delays of {@code source}'s synapses, ms, in the order of {@link #targetsOf} (a copy); empty without {@link #hasDelays}. */
    public float[] delaysOf(int source) {
        return delaysMs == null ? new float[0] : Arrays.copyOfRange(delaysMs, rowStart[source], rowStart[source + 1]);
    }

    /**
     * Bytes of storage per synapse: 4 (target) + 4 (weight, only when each synapse has its own)
     * + 4 (delay, only when each synapse has its own) + 4 × (sources + 1) / synapses.
     */
    public double bytesPerSynapse() {
        long bytes = 4L * targets.length + 4L * rowStart.length;
        bytes += weights == null ? 0 : 4L * weights.length;
        bytes += delaysMs == null ? 0 : 4L * delaysMs.length;
        return targets.length == 0 ? Double.NaN : (double) bytes / targets.length;
    }

    /** The weight of synapse {@code s} (storage order). */
    float weight(int s) {
        return weights == null ? sharedWeight : weights[s];
    }

    /** The weights, one per synapse, made from the shared weight on first call; plasticity changes them in place. */
    float[] ownWeights() {
        if (weights == null) {
            float[] own = new float[targets.length];
            Arrays.fill(own, sharedWeight);
            weights = own;
        }
        return weights;
    }

    /** Adds the weights of {@code source}'s synapses into {@code input} at their targets. */
    void deliver(int source, double[] input) {
        int[] t = targets;
        float[] w = weights;
        int end = rowStart[source + 1];
        if (w == null) {
            float shared = sharedWeight;
            for (int s = rowStart[source]; s < end; s++) {
                input[t[s]] += shared;
            }
        } else {
            for (int s = rowStart[source]; s < end; s++) {
                input[t[s]] += w[s];
            }
        }
    }

    /**
     * Adds the weights of those of {@code source}'s synapses whose targets lie in {@code [from, to)}
     * into {@code input}, in the order of {@link #deliver(int, double[])}: a row's targets are in
     * increasing order, so they are one run of it, found by bisection.
     */
    void deliver(int source, double[] input, int from, int to) {
        int[] t = targets;
        int low = rowStart[source];
        int high = rowStart[source + 1];
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (t[mid] < from) {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        int end = rowStart[source + 1];
        for (int s = low; s < end && t[s] < to; s++) {
            input[t[s]] += weight(s);
        }
    }

    /**
     * Adds the weights of {@code source}'s synapses at their targets, each after its own delay of
     * {@code delaySteps[s]} steps from step {@code step}: into {@code input} when it is 0 (acting from
     * the next step, as an undelayed projection's), else into {@code later}.
     */
    void deliver(int source, double[] input, DelayedInputs later, long step, short[] delaySteps) {
        int[] t = targets;
        for (int s = rowStart[source], end = rowStart[source + 1]; s < end; s++) {
            int d = delaySteps[s];
            double[] into = d == 0 ? input : later.arriving(step + d);
            into[t[s]] += weight(s);
        }
    }
}
