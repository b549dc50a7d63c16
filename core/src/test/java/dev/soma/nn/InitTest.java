package dev.soma.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.soma.nn.Init.FanMode;
import dev.soma.tensor.Generator;
import dev.soma.tensor.Tensor;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * PyTorch's {@code torch.nn.init}: gains, fans, and the distributions of Xavier and Kaiming
 * initialisation, checked statistically with tolerances of five standard errors on seeded samples.
 */
class InitTest {

    /** Mean and (population) standard deviation of the values. */
    private record Moments(double mean, double std, double min, double max, int n) {
        static Moments of(Tensor t) {
            float[] values = t.toArray();
            double sum = 0;
            double min = Double.POSITIVE_INFINITY;
            double max = Double.NEGATIVE_INFINITY;
            for (float v : values) {
                sum += v;
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
            double mean = sum / values.length;
            double squares = 0;
            for (float v : values) {
                squares += (v - mean) * (v - mean);
            }
            return new Moments(mean, Math.sqrt(squares / values.length), min, max, values.length);
        }
    }

    /** {@code U(-bound, bound)}: inside the bound, reaching it, mean 0, standard deviation {@code bound/√3}. */
    private static void assertUniform(Tensor t, double bound) {
        Moments m = Moments.of(t);
        double gap = 20 * 2 * bound / m.n;  // P(extreme further than this from the bound) = e⁻²⁰
        assertTrue(m.max <= bound && m.max > bound - gap, "max " + m.max + " for bound " + bound);
        assertTrue(m.min >= -bound && m.min < -bound + gap, "min " + m.min + " for bound " + bound);
        double std = bound / Math.sqrt(3);
        assertEquals(0, m.mean, 5 * std / Math.sqrt(m.n), "mean");
        // Var(x²) = b⁴/5 − b⁴/9, so the sample variance has standard error √(4/45/n)·b²; std by the delta method.
        double stdError = Math.sqrt(4.0 / 45 / m.n) * bound * bound / (2 * std);
        assertEquals(std, m.std, 5 * stdError, "standard deviation");
    }

    /** {@code N(0, std²)}: mean within 5σ/√n, sample standard deviation within 5σ/√(2n). */
    private static void assertNormal(Tensor t, double std) {
        Moments m = Moments.of(t);
        assertEquals(0, m.mean, 5 * std / Math.sqrt(m.n), "mean");
        assertEquals(std, m.std, 5 * std / Math.sqrt(2.0 * m.n), "standard deviation");
        // Past 3σ lie 0.13% on each side: a sample of 9,000 or more has some there with probability
        // above 1 − e⁻¹²; a uniform of the same std stops at 1.73σ.
        assertTrue(m.n >= 9000, "too small a sample for the tail check");
        assertTrue(m.max > 3 * std && m.min < -3 * std, "tails " + m.min + ", " + m.max + " for std " + std);
    }

    // ---------------------------------------------------------------- gains and fans

    @Test
    void gainsAreThoseOfPyTorch() {
        assertEquals(1.0, Init.gain("linear", 0));
        assertEquals(1.0, Init.gain("identity", 0));
        assertEquals(1.0, Init.gain("sigmoid", 0));
        assertEquals(1.0, Init.gain("conv2d", 0));
        assertEquals(5.0 / 3, Init.gain("tanh", 0), 1e-15);
        assertEquals(Math.sqrt(2), Init.gain("relu", 0), 1e-15);
        assertEquals(0.75, Init.gain("selu", 0));
        assertEquals(Math.sqrt(2), Init.gain("leaky_relu", 0), 1e-15);
        assertEquals(Math.sqrt(2 / 1.0001), Init.gain("leaky_relu", 0.01), 1e-15);
        assertEquals(Math.sqrt(2 / 1.04), Init.gain("leaky_relu", 0.2), 1e-15);
        assertEquals(Math.sqrt(1.0 / 3), Init.gain("leaky_relu", Math.sqrt(5)), 1e-15);
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> Init.gain("swish", 0));
        assertTrue(error.getMessage().contains("'swish'"), error.getMessage());
    }

    @Test
    void fansOfAMatrixAndOfAConvolutionKernel() {
        assertArrayEquals(new int[] {5, 3}, Init.fans(Tensor.zeros(3, 5)));
        assertArrayEquals(new int[] {8 * 3 * 3, 16 * 3 * 3}, Init.fans(Tensor.zeros(16, 8, 3, 3)));
        assertArrayEquals(new int[] {4 * 7, 2 * 7}, Init.fans(Tensor.zeros(2, 4, 7)));
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> Init.fans(Tensor.zeros(5)));
        assertTrue(error.getMessage().contains("[5]"), error.getMessage());
    }

    // ---------------------------------------------------------------- distributions

    @Test
    void xavierUniformBound() {
        Tensor t = Tensor.zeros(300, 500);
        assertSame(t, Init.xavierUniform(t, 1, new Generator(1)), "fills in place and returns the tensor");
        assertUniform(t, Math.sqrt(6.0 / 800));
        Tensor tanh = Init.xavierUniform(Tensor.zeros(300, 500), Init.gain("tanh", 0), new Generator(2));
        assertUniform(tanh, 5.0 / 3 * Math.sqrt(6.0 / 800));
    }

    @Test
    void xavierNormalStd() {
        assertNormal(Init.xavierNormal(Tensor.zeros(300, 500), 1, new Generator(3)), Math.sqrt(2.0 / 800));
        assertNormal(Init.xavierNormal(Tensor.zeros(64, 32, 3, 3), 2, new Generator(4)), 2 * Math.sqrt(2.0 / (288 + 576)));
    }

    @Test
    void kaimingUniformBoundUsesTheChosenFan() {
        assertUniform(Init.kaimingUniform(Tensor.zeros(256, 128), 0, FanMode.FAN_IN, "relu", new Generator(5)),
                Math.sqrt(2) * Math.sqrt(3.0 / 128));
        assertUniform(Init.kaimingUniform(Tensor.zeros(256, 128), 0, FanMode.FAN_OUT, "relu", new Generator(6)),
                Math.sqrt(2) * Math.sqrt(3.0 / 256));
        assertUniform(Init.kaimingUniform(Tensor.zeros(32, 16, 5, 5), 0.2, FanMode.FAN_IN, "leaky_relu", new Generator(7)),
                Math.sqrt(2 / 1.04) * Math.sqrt(3.0 / 400));
    }

    @Test
    void kaimingUniformWithSlopeRootFiveIsLinearsDefault() {
        // PyTorch's Linear: kaiming_uniform(a = √5) gives the bound 1/√in.
        assertUniform(Init.kaimingUniform(Tensor.zeros(400, 100), Math.sqrt(5), FanMode.FAN_IN, "leaky_relu",
                new Generator(8)), 1 / Math.sqrt(100));
    }

    @Test
    void kaimingNormalStd() {
        assertNormal(Init.kaimingNormal(Tensor.zeros(256, 128), 0, FanMode.FAN_IN, "relu", new Generator(9)),
                Math.sqrt(2) / Math.sqrt(128));
        assertNormal(Init.kaimingNormal(Tensor.zeros(256, 128), 0, FanMode.FAN_OUT, "relu", new Generator(10)),
                Math.sqrt(2) / Math.sqrt(256));
        assertNormal(Init.kaimingNormal(Tensor.zeros(64, 16, 3, 3), 0, FanMode.FAN_IN, "tanh", new Generator(11)),
                5.0 / 3 / Math.sqrt(144));
    }

    @Test
    void uniformNormalAndConstantFillInPlace() {
        Tensor u = Tensor.zeros(100_000);
        assertSame(u, Init.uniform(u, 2, 6, new Generator(12)));
        Moments m = Moments.of(u);
        assertTrue(m.min >= 2 && m.max < 6, m.toString());
        assertEquals(4, m.mean, 5 * (4 / Math.sqrt(12)) / Math.sqrt(m.n));

        Tensor n = Init.normal(Tensor.zeros(100_000), 3, 0.5f, new Generator(13));
        Moments nm = Moments.of(n);
        assertEquals(3, nm.mean, 5 * 0.5 / Math.sqrt(nm.n));
        assertEquals(0.5, nm.std, 5 * 0.5 / Math.sqrt(2.0 * nm.n));

        Tensor c = Init.constant(Tensor.zeros(2, 3), 0.75f);
        float[] expected = new float[6];
        Arrays.fill(expected, 0.75f);
        assertArrayEquals(expected, c.toArray());
    }

    @Test
    void initialisesParametersThatRequireGrad() {
        Tensor weight = Tensor.zeros(8, 4).requiresGrad(true);
        Init.kaimingUniform(weight, 0, FanMode.FAN_IN, "relu", new Generator(14));
        assertTrue(weight.requiresGrad());
        assertTrue(weight.isLeaf(), "initialisation recorded a graph");
        assertFalse(Arrays.equals(new float[32], weight.toArray()));
    }

    @Test
    void sameSeedSameValuesOtherSeedOtherValues() {
        Tensor a = Init.xavierNormal(Tensor.zeros(20, 30), 1, new Generator(15));
        Tensor b = Init.xavierNormal(Tensor.zeros(20, 30), 1, new Generator(15));
        Tensor c = Init.xavierNormal(Tensor.zeros(20, 30), 1, new Generator(16));
        assertArrayEquals(a.toArray(), b.toArray());
        assertFalse(Arrays.equals(a.toArray(), c.toArray()));

        Tensor d = Init.kaimingUniform(Tensor.zeros(20, 30), 0, FanMode.FAN_IN, "relu", new Generator(17));
        Tensor e = Init.kaimingUniform(Tensor.zeros(20, 30), 0, FanMode.FAN_IN, "relu", new Generator(17));
        assertArrayEquals(d.toArray(), e.toArray());
    }

    @Test
    void zeroFanIsRejectedWithTheShape() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> Init.kaimingUniform(Tensor.zeros(0, 3), 0, FanMode.FAN_OUT, "relu", new Generator(18)));
        assertTrue(error.getMessage().contains("[0, 3]"), error.getMessage());
    }
}
