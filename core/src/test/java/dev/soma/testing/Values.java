package dev.soma.testing;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * How a test input's values are drawn. Finite differences are only meaningful where the function is
 * smooth, so generators keep values away from kinks (relu and abs at 0, clamp's bounds, ties of max),
 * and inside domains (log and sqrt need positive values, division a denominator away from 0).
 */
@FunctionalInterface
public interface Values {

    /** {@code n} values drawn with {@code random}. */
    double[] draw(int n, SplittableRandom random);

    /** Uniform in {@code [low, high)}. */
    static Values uniform(double low, double high) {
        return (n, random) -> random.doubles(n, low, high).toArray();
    }

    /** Uniform in {@code [low, high)}, but never within {@code margin} of any of the {@code kinks}. */
    static Values awayFrom(double low, double high, double margin, double... kinks) {
        return (n, random) -> {
            double[] out = new double[n];
            for (int i = 0; i < n; i++) {
                double v;
                do {
                    v = random.nextDouble(low, high);
                } while (near(v, margin, kinks));
                out[i] = v;
            }
            return out;
        };
    }

    private static boolean near(double v, double margin, double[] kinks) {
        for (double kink : kinks) {
            if (Math.abs(v - kink) < margin) {
                return true;
            }
        }
        return false;
    }

    /** Uniform in {@code ±[low, high)}: either sign, magnitude at least {@code low}. */
    static Values signedMagnitude(double low, double high) {
        return (n, random) -> {
            double[] out = new double[n];
            for (int i = 0; i < n; i++) {
                out[i] = random.nextDouble(low, high) * (random.nextBoolean() ? 1 : -1);
            }
            return out;
        };
    }

    /**
     * Distinct values in {@code [low, high)}, at least {@code 0.5 (high - low) / n} apart, in random
     * order: no two elements tie, so max and min have one winner that a small step cannot change.
     */
    static Values distinct(double low, double high) {
        return (n, random) -> {
            int[] slots = random.ints(0, Integer.MAX_VALUE).limit(n).toArray();
            Integer[] order = new Integer[n];
            Arrays.setAll(order, i -> i);
            Arrays.sort(order, (a, b) -> Integer.compare(slots[a], slots[b]));
            double spacing = (high - low) / Math.max(n, 1);
            double[] out = new double[n];
            for (int i = 0; i < n; i++) {
                out[order[i]] = low + spacing * (i + 0.25 + 0.5 * random.nextDouble());
            }
            return out;
        };
    }

    /**
     * {@code phase + step·k + jitter} for a random integer {@code |k| ≤ count} and {@code |jitter| ≤ step/8}.
     * Two inputs on lattices half a step apart never come closer than {@code step/4}, so elementwise
     * {@code maximum} and {@code minimum} never tie.
     */
    static Values lattice(double step, double phase, int count) {
        return (n, random) -> {
            double[] out = new double[n];
            for (int i = 0; i < n; i++) {
                out[i] = phase + step * random.nextInt(-count, count + 1) + step * random.nextDouble(-0.125, 0.125);
            }
            return out;
        };
    }

    /** Whole numbers uniform in {@code [low, high)} (index tensors, masks). */
    static Values integers(int low, int high) {
        return (n, random) -> random.ints(n, low, high).asDoubleStream().toArray();
    }

    /** Exactly these values (their count must match the shape). */
    static Values fixed(double... values) {
        return (n, random) -> {
            if (n != values.length) {
                throw new IllegalArgumentException(values.length + " fixed values for " + n + " elements");
            }
            return values.clone();
        };
    }
}
