package dev.soma.tensor;

import java.util.SplittableRandom;

/**
 * The source of every random number in Soma: the same seed gives the same numbers, on every machine
 * and JDK. Built on {@link SplittableRandom}, whose algorithm (SplitMix64) is fixed by its
 * specification; normal samples use the Box–Muller transform, written out here so that no library
 * change can alter them. Not thread-safe: give each thread its own generator.
 */
public final class Generator {

    /** PyTorch's default seed, so that unseeded runs are repeatable, as they are in PyTorch. */
    public static final long DEFAULT_SEED = 67280421310721L;

    private static final Generator GLOBAL = new Generator(DEFAULT_SEED);

    private long seed;
    private SplittableRandom random;
    private double spareGaussian = Double.NaN;

    /** A generator seeded with {@code seed}. */
    public Generator(long seed) {
        this.seed = seed;
        this.random = new SplittableRandom(seed);
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
        this.random = new SplittableRandom(newSeed);
        this.spareGaussian = Double.NaN;
        return this;
    }

    /** A float uniformly distributed in {@code [0, 1)} (24 random bits). */
    public float nextFloat() {
        return (random.nextInt() >>> 8) * 0x1.0p-24f;
    }

    /** A double uniformly distributed in {@code [0, 1)}. */
    public double nextDouble() {
        return random.nextDouble();
    }

    /** An int uniformly distributed in {@code [0, bound)}. */
    public int nextInt(int bound) {
        return random.nextInt(bound);
    }

    /** A long from the full range. */
    public long nextLong() {
        return random.nextLong();
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
        double u1 = 1.0 - random.nextDouble();
        double u2 = random.nextDouble();
        double radius = Math.sqrt(-2.0 * Math.log(u1));
        spareGaussian = radius * Math.sin(2 * Math.PI * u2);
        return radius * Math.cos(2 * Math.PI * u2);
    }
}
