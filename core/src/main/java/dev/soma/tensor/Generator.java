package dev.soma.tensor;

/**
 * The source of every random number in Soma: the same seed gives the same numbers, on every machine
 * and JDK. SplitMix64 (Steele, Lea and Flood 2014), written out here as {@link java.util.SplittableRandom}
 * specifies it, so it draws exactly what {@code new SplittableRandom(seed)} draws ({@code GeneratorTest}
 * compares them), and its whole state is two longs and a spare normal sample, which {@link #state()}
 * reads and {@link #setState} restores: a checkpoint saves it and a resumed run draws on as if it had
 * never stopped. The state advances by the golden gamma {@code 0x9e3779b97f4a7c15} per draw of 64
 * bits, and each output is that state mixed (Stafford's variant 13 for longs, variant 4's high half for
 * ints). Normal samples use the Box–Muller transform, written out here so that no library change can
 * alter them. Not thread-safe: give each thread its own generator.
 */
public final class Generator {

    /** PyTorch's default seed, so that unseeded runs are repeatable, as they are in PyTorch. */
    public static final long DEFAULT_SEED = 67280421310721L;

    private static final Generator GLOBAL = new Generator(DEFAULT_SEED);

    /** SplitMix64's increment, SplittableRandom's {@code GOLDEN_GAMMA}. */
    private static final long GOLDEN_GAMMA = 0x9e3779b97f4a7c15L;

    private long seed;
    /** SplitMix64's state: the seed plus the golden gamma once per draw of 64 bits. */
    private long state;
    private double spareGaussian = Double.NaN;

    /** A generator seeded with {@code seed}. */
    public Generator(long seed) {
        manualSeed(seed);
    }

    /**
     * Everything a generator's future draws depend on: the seed it started from, SplitMix64's state,
     * and the second Box–Muller sample kept for the next {@link #nextGaussian()} (NaN when none is).
     */
    public record State(long seed, long state, double spareGaussian) {
    }

    /** This generator's whole state; {@link #setState} with it makes the same draws follow. */
    public State state() {
        return new State(seed, state, spareGaussian);
    }

    /** Restores a state from {@link #state()}: the draws that followed it then follow again. Modifies this generator. */
    public Generator setState(State saved) {
        this.seed = saved.seed();
        this.state = saved.state();
        this.spareGaussian = saved.spareGaussian();
        return this;
    }

    /**
     * The generator used where none is given (layer initialisation, dropout), like PyTorch's default
     * generator; {@link #manualSeed(long)} on it plays the part of {@code torch.manual_seed}.
     */
    public static Generator global() {
        return GLOBAL;
    }

    /** The seed this generator started from (or was last reset to). */
    public long seed() {
        return seed;
    }

    /** Restarts the sequence from {@code seed}. */
    public Generator manualSeed(long newSeed) {
        this.seed = newSeed;
        this.state = newSeed;
        this.spareGaussian = Double.NaN;
        return this;
    }

    /** A float uniformly distributed in {@code [0, 1)} (24 random bits). */
    public float nextFloat() {
        return (nextInt() >>> 8) * 0x1.0p-24f;
    }

    /** A double uniformly distributed in {@code [0, 1)} (53 random bits). */
    public double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /**
     * An int uniformly distributed in {@code [0, bound)}: the low bits of a draw when the bound is a
     * power of two; otherwise a 31-bit draw modulo the bound, drawn again while it falls in the last,
     * incomplete stretch of the range (the JDK's {@code boundedNextInt}), so no value is favoured.
     */
    public int nextInt(int bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("nextInt: bound must be > 0, got " + bound);
        }
        int m = bound - 1;
        int r = nextInt();
        if ((bound & m) == 0) {
            return r & m;
        }
        for (int u = r >>> 1; u + m - (r = u % bound) < 0; u = nextInt() >>> 1) {
            // rejected: u lies in the incomplete stretch above the last multiple of bound
        }
        return r;
    }

    /** A long from the full range. */
    public long nextLong() {
        long z = state += GOLDEN_GAMMA;
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    /** An int from the full range: the high 32 bits of Stafford's variant 4 mix of the next state. */
    private int nextInt() {
        long z = state += GOLDEN_GAMMA;
        z = (z ^ (z >>> 33)) * 0x62a9d9ed799705f5L;
        return (int) (((z ^ (z >>> 28)) * 0xcb24d0a5c88c35b3L) >>> 32);
    }

    /**
     * A random permutation of {@code 0..n-1}, as {@code torch.randperm(n, generator=g)}: every one of
     * the n! orders equally likely. Fisher–Yates, from the last position down: position {@code i}
     * takes the element at a uniform {@code j ∈ [0, i]}, so it draws {@code nextInt(i + 1)} for
     * {@code i = n-1, …, 1}, and the same seed gives the same order.
     */
    public int[] permutation(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("permutation: n must be ≥ 0, got " + n);
        }
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = nextInt(i + 1);
            int swap = order[i];
            order[i] = order[j];
            order[j] = swap;
        }
        return order;
    }

    /**
     * A standard normal sample. Box–Muller: for independent {@code u₁ ∈ (0, 1]} and
     * {@code u₂ ∈ [0, 1)}, {@code √(-2 ln u₁)·cos(2πu₂)} and {@code √(-2 ln u₁)·sin(2πu₂)} are
     * independent standard normals; the second is kept for the next call.
     */
    public double nextGaussian() {
        if (!Double.isNaN(spareGaussian)) {
            double value = spareGaussian;
            spareGaussian = Double.NaN;
            return value;
        }
        double u1 = 1.0 - nextDouble();
        double u2 = nextDouble();
        double radius = Math.sqrt(-2.0 * Math.log(u1));
        spareGaussian = radius * Math.sin(2 * Math.PI * u2);
        return radius * Math.cos(2 * Math.PI * u2);
    }
}
