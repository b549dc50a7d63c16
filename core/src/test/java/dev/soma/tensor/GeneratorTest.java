package dev.soma.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class GeneratorTest {

    @ParameterizedTest
    @ValueSource(longs = {0, 1, 123456789, -1, Long.MIN_VALUE})
    void theSameSeedGivesTheSameSequence(long seed) {
        Generator a = new Generator(seed);
        Generator b = new Generator(seed);
        for (int i = 0; i < 1000; i++) {
            assertEquals(a.nextFloat(), b.nextFloat());
            assertEquals(a.nextDouble(), b.nextDouble());
            assertEquals(a.nextGaussian(), b.nextGaussian());
            assertEquals(a.nextInt(17), b.nextInt(17));
            assertEquals(a.nextLong(), b.nextLong());
        }
        assertEquals(seed, a.seed());
    }

    @Test
    void differentSeedsGiveDifferentSequences() {
        Generator a = new Generator(1);
        Generator b = new Generator(2);
        int same = 0;
        for (int i = 0; i < 100; i++) {
            same += a.nextLong() == b.nextLong() ? 1 : 0;
        }
        assertEquals(0, same);
    }

    @Test
    void theSequenceIsSplitMix64() {
        // Fixed by SplittableRandom's specification, so the same on every JDK.
        Generator g = new Generator(42);
        SplittableRandom reference = new SplittableRandom(42);
        for (int i = 0; i < 100; i++) {
            assertEquals(reference.nextLong(), g.nextLong());
        }
        Generator floats = new Generator(42);
        SplittableRandom bits = new SplittableRandom(42);
        for (int i = 0; i < 100; i++) {
            assertEquals((bits.nextInt() >>> 8) / (float) (1 << 24), floats.nextFloat());
        }
    }

    @Test
    void nextFloatIsInTheUnitIntervalAndUniform() {
        Generator g = new Generator(7);
        int n = 200_000;
        int[] bins = new int[10];
        for (int i = 0; i < n; i++) {
            float v = g.nextFloat();
            assertTrue(v >= 0f && v < 1f, "value " + v);
            bins[(int) (v * 10)]++;
        }
        // Each bin count is Binomial(n, 0.1): standard deviation √(n·0.1·0.9) ≈ 134; allow 5.
        for (int bin : bins) {
            assertEquals(n / 10.0, bin, 5 * Math.sqrt(n * 0.1 * 0.9));
        }
    }

    @Test
    void nextIntRespectsTheBound() {
        Generator g = new Generator(3);
        boolean[] seen = new boolean[5];
        for (int i = 0; i < 1000; i++) {
            int v = g.nextInt(5);
            assertTrue(v >= 0 && v < 5);
            seen[v] = true;
        }
        for (boolean s : seen) {
            assertTrue(s);
        }
    }

    @Test
    void gaussiansComeInBoxMullerPairs() {
        long seed = 99;
        Generator g = new Generator(seed);
        SplittableRandom uniforms = new SplittableRandom(seed);
        for (int pair = 0; pair < 50; pair++) {
            double u1 = 1.0 - uniforms.nextDouble();
            double u2 = uniforms.nextDouble();
            double radius = Math.sqrt(-2 * Math.log(u1));
            assertEquals(radius * Math.cos(2 * Math.PI * u2), g.nextGaussian());
            assertEquals(radius * Math.sin(2 * Math.PI * u2), g.nextGaussian());
        }
    }

    @Test
    void gaussiansHaveMeanZeroAndVarianceOne() {
        Generator g = new Generator(5);
        int n = 200_000;
        double sum = 0;
        double squares = 0;
        double fourth = 0;
        for (int i = 0; i < n; i++) {
            double v = g.nextGaussian();
            sum += v;
            squares += v * v;
            fourth += v * v * v * v;
        }
        assertEquals(0, sum / n, 5 / Math.sqrt(n));
        assertEquals(1, squares / n, 5 * Math.sqrt(2.0 / n));
        assertEquals(3, fourth / n, 5 * Math.sqrt(96.0 / n));   // E[x⁴] = 3, Var[x⁴] = 105 - 9 = 96
    }

    @Test
    void manualSeedRestartsTheSequence() {
        Generator g = new Generator(10);
        double first = g.nextGaussian();    // leaves a spare Box–Muller value behind
        float next = g.nextFloat();
        g.manualSeed(10);
        assertEquals(first, g.nextGaussian());
        assertEquals(next, g.nextFloat());
        g.manualSeed(11);
        Generator fresh = new Generator(11);
        for (int i = 0; i < 10; i++) {
            assertEquals(fresh.nextGaussian(), g.nextGaussian());
        }
        assertEquals(11, g.seed());
        assertNotEquals(new Generator(10).nextLong(), new Generator(11).nextLong());
    }
}
