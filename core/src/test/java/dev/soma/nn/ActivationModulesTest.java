package dev.soma.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.soma.tensor.Generator;
import dev.soma.tensor.Tensor;
import dev.soma.testing.Ref;
import java.util.Arrays;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The activation layers, Identity, Flatten and Dropout against closed forms computed in double. */
class ActivationModulesTest {

    /** Awkward values: exactly 0, tiny, ordinary, and far enough out to overflow a naive exp. */
    private static final float[] EDGES = {-300, -20, -3, -1, -0.5f, -1e-7f, 0, 1e-7f, 0.5f, 1, 3, 20, 300};

    private static void assertElementwise(Module module, DoubleUnaryOperator f, float[] values) {
        Tensor x = Tensor.of(values, values.length);
        Tensor y = module.forward(x);
        assertArrayEquals(x.shape(), y.shape());
        float[] actual = y.toArray();
        for (int i = 0; i < values.length; i++) {
            double expected = f.applyAsDouble(values[i]);
            assertTrue(Float.isFinite(actual[i]), module + " at " + values[i] + " gave " + actual[i]);
            assertEquals(expected, actual[i], 1e-6 * (1 + Math.abs(expected)), module + " at " + values[i]);
        }
    }

    private static float[] gradientOfSum(Module module, float... values) {
        Tensor x = Tensor.vector(values).requiresGrad(true);
        module.forward(x).sum().backward();
        return x.grad().toArray();
    }

    // ---------------------------------------------------------------- elementwise activations

    @Test
    void reluIsMaxOfXAndZeroWithZeroGradientAtZero() {
        assertElementwise(new ReLU(), x -> x > 0 ? x : 0, EDGES);
        assertArrayEquals(new float[] {0, 0, 1}, gradientOfSum(new ReLU(), -1, 0, 2));
        assertEquals("ReLU()", new ReLU().toString());
    }

    @Test
    void sigmoidIsOneOverOnePlusExpMinusXEvenFarOut() {
        assertElementwise(new Sigmoid(), x -> 1 / (1 + Math.exp(-x)), EDGES);
        float[] grad = gradientOfSum(new Sigmoid(), -300, 0, 2, 300);
        double s2 = 1 / (1 + Math.exp(-2));
        assertArrayEquals(new float[] {0, 0.25f, (float) (s2 * (1 - s2)), 0}, grad, 1e-7f);
    }

    @Test
    void tanhMatchesItsExponentialForm() {
        assertElementwise(new Tanh(), x -> (Math.exp(2 * x) - 1) / (Math.exp(2 * x) + 1), EDGES);
        double t = Math.tanh(0.5);
        assertArrayEquals(new float[] {1, (float) (1 - t * t)}, gradientOfSum(new Tanh(), 0, 0.5f), 1e-7f);
    }

    @Test
    void leakyReluScalesNegativesBySlopeWithSlopeGradientAtZero() {
        assertElementwise(new LeakyReLU(), x -> x > 0 ? x : 0.01 * x, EDGES);
        assertElementwise(new LeakyReLU(0.2f), x -> x > 0 ? x : 0.2 * x, EDGES);
        // PyTorch's leaky_relu backward: grad where x > 0, slope · grad elsewhere (0 included).
        assertArrayEquals(new float[] {0.2f, 0.2f, 1}, gradientOfSum(new LeakyReLU(0.2f), -3, 0, 3));
        assertEquals("LeakyReLU(negative_slope=0.2)", new LeakyReLU(0.2f).toString());
        assertEquals("LeakyReLU(negative_slope=0.01)", new LeakyReLU().toString());
    }

    @Test
    void geluIsXTimesTheNormalCdf() {
        assertElementwise(new GELU(), x -> x / 2 * (1 + Ref.erf(x / Math.sqrt(2))), EDGES);
        // d/dx x·Φ(x) = Φ(x) + x·φ(x).
        float[] xs = {-2, -0.5f, 0, 1.5f};
        float[] grad = gradientOfSum(new GELU(), xs);
        for (int i = 0; i < xs.length; i++) {
            double x = xs[i];
            double expected = (1 + Ref.erf(x / Math.sqrt(2))) / 2 + x * Math.exp(-x * x / 2) / Math.sqrt(2 * Math.PI);
            assertEquals(expected, grad[i], 1e-5, "GELU' at " + x);
        }
    }

    @Test
    void stepIsOneAtOrAboveItsThreshold() {
        assertElementwise(new Step(), x -> x >= 0 ? 1 : 0, EDGES);
        assertElementwise(new Step(0.5f), x -> x >= 0.5 ? 1 : 0, new float[] {0.4999f, 0.5f, 0.5001f, -1, 2});
        assertEquals("Step(threshold=0.5)", new Step(0.5f).toString());
    }

    @Test
    void identityReturnsItsInput() {
        Tensor x = Tensor.randn(new Generator(1), 2, 3);
        assertSame(x, new Identity().forward(x));
        assertEquals("Identity()", new Identity().toString());
    }

    // ---------------------------------------------------------------- softmax

    private static double[][] softmaxRows(float[][] rows) {
        double[][] out = new double[rows.length][];
        for (int r = 0; r < rows.length; r++) {
            double max = Double.NEGATIVE_INFINITY;
            for (float v : rows[r]) {
                max = Math.max(max, v);
            }
            double sum = 0;
            for (float v : rows[r]) {
                sum += Math.exp(v - max);
            }
            out[r] = new double[rows[r].length];
            for (int c = 0; c < rows[r].length; c++) {
                out[r][c] = Math.exp(rows[r][c] - max) / sum;
            }
        }
        return out;
    }

    private static final float[][] LOGITS = {{1, 2, 3, 4}, {-1, 0, 0, 1}, {-3, 7.5f, 0.25f, 2}, {5, 5, 5, 5}};

    /** Logits far from 0, where e^x overflows float and a careless order of operations loses digits. */
    private static final float[][] HUGE = {{1000, 0, -1000, 999}, {-1000, -999, -1001, -1000}};

    private static double[][] logSoftmaxRows(float[][] rows) {
        double[][] out = new double[rows.length][];
        for (int r = 0; r < rows.length; r++) {
            double max = Double.NEGATIVE_INFINITY;
            for (float v : rows[r]) {
                max = Math.max(max, v);
            }
            double sum = 0;
            for (float v : rows[r]) {
                sum += Math.exp(v - max);
            }
            out[r] = new double[rows[r].length];
            for (int c = 0; c < rows[r].length; c++) {
                out[r][c] = rows[r][c] - max - Math.log(sum);
            }
        }
        return out;
    }

    @Test
    void softmaxAlongTheLastDimensionIsNormalisedExp() {
        double[][] expected = softmaxRows(LOGITS);
        Tensor y = new Softmax(1).forward(Tensor.matrix(LOGITS));
        for (int r = 0; r < LOGITS.length; r++) {
            double rowSum = 0;
            for (int c = 0; c < LOGITS[r].length; c++) {
                assertEquals(expected[r][c], y.get(r, c), 1e-6, "softmax[" + r + ", " + c + "]");
                rowSum += y.get(r, c);
            }
            assertEquals(1, rowSum, 1e-6);
        }
        assertEquals("Softmax(dim=1)", new Softmax(1).toString());
        assertArrayEquals(y.toArray(), new Softmax(-1).forward(Tensor.matrix(LOGITS)).toArray());
    }

    @Test
    void softmaxAlongTheFirstDimensionNormalisesColumns() {
        Tensor x = Tensor.matrix(LOGITS);
        Tensor y = new Softmax(0).forward(x);
        float[][] columns = new float[4][4];
        for (int r = 0; r < 4; r++) {
            for (int c = 0; c < 4; c++) {
                columns[c][r] = LOGITS[r][c];
            }
        }
        double[][] expected = softmaxRows(columns);
        for (int r = 0; r < 4; r++) {
            for (int c = 0; c < 4; c++) {
                assertEquals(expected[c][r], y.get(r, c), 1e-6, "softmax dim 0 [" + r + ", " + c + "]");
            }
        }
    }

    @Test
    void logSoftmaxIsXMinusLogSumExp() {
        double[][] expected = logSoftmaxRows(LOGITS);
        Tensor y = new LogSoftmax(1).forward(Tensor.matrix(LOGITS));
        for (int r = 0; r < LOGITS.length; r++) {
            for (int c = 0; c < 4; c++) {
                assertEquals(expected[r][c], y.get(r, c), 1e-6 * (1 + Math.abs(expected[r][c])),
                        "logSoftmax[" + r + ", " + c + "]");
            }
        }
        assertEquals("LogSoftmax(dim=1)", new LogSoftmax(1).toString());
    }

    @Test
    void softmaxAndLogSoftmaxStayFiniteFarOut() {
        Tensor p = new Softmax(1).forward(Tensor.matrix(HUGE));
        Tensor logP = new LogSoftmax(1).forward(Tensor.matrix(HUGE));
        double[][] expected = logSoftmaxRows(HUGE);
        for (int r = 0; r < HUGE.length; r++) {
            for (int c = 0; c < 4; c++) {
                assertTrue(Float.isFinite(p.get(r, c)) && Float.isFinite(logP.get(r, c)), "row " + r + " column " + c);
                assertEquals(Math.exp(expected[r][c]), p.get(r, c), 1e-3);
                assertEquals(expected[r][c], logP.get(r, c), 1e-3 * (1 + Math.abs(expected[r][c])));
            }
        }
    }

    @Test
    void softmaxAndLogSoftmaxKeepFloatPrecisionFarOut() {
        // Subtracting the row maximum first, (x − m) − ln Σ e^(x−m) as PyTorch does, is exact for these
        // rows up to float rounding of numbers near 1; forming m + ln Σ first rounds at the scale of m
        // (an ulp of 1000 is 6e-5) and loses four digits.
        Tensor p = new Softmax(1).forward(Tensor.matrix(HUGE));
        Tensor logP = new LogSoftmax(1).forward(Tensor.matrix(HUGE));
        double[][] expected = logSoftmaxRows(HUGE);
        for (int r = 0; r < HUGE.length; r++) {
            for (int c = 0; c < 4; c++) {
                if (expected[r][c] > -10) {
                    assertEquals(Math.exp(expected[r][c]), p.get(r, c), 1e-6, "softmax[" + r + ", " + c + "]");
                    assertEquals(expected[r][c], logP.get(r, c), 1e-6, "logSoftmax[" + r + ", " + c + "]");
                }
            }
        }
    }

    // ---------------------------------------------------------------- Flatten

    @Test
    void flattenMergesTheDimensionsAfterTheBatchKeepingRowMajorOrder() {
        Tensor x = Tensor.arange(120).reshape(2, 3, 4, 5);
        Tensor y = new Flatten().forward(x);
        assertArrayEquals(new int[] {2, 60}, y.shape());
        assertArrayEquals(x.toArray(), y.toArray());
        assertArrayEquals(new int[] {120}, new Flatten(0, -1).forward(x).shape());
        Tensor middle = new Flatten(1, 2).forward(x);
        assertArrayEquals(new int[] {2, 12, 5}, middle.shape());
        assertEquals(x.get(1, 2, 3, 4), middle.get(1, 11, 4));
        assertEquals("Flatten(start_dim=1, end_dim=-1)", new Flatten().toString());
    }

    @Test
    void flattenOfATransposedInputKeepsLogicalOrder() {
        Tensor x = Tensor.arange(24).reshape(2, 3, 4).transpose(1, 2);
        Tensor y = new Flatten().forward(x);
        assertArrayEquals(new int[] {2, 12}, y.shape());
        assertArrayEquals(x.toArray(), y.toArray());
    }

    // ---------------------------------------------------------------- Dropout

    @Test
    void dropoutInEvalModeIsTheIdentity() {
        Dropout dropout = new Dropout(0.5f, new Generator(2));
        dropout.eval();
        Tensor x = Tensor.randn(new Generator(3), 100);
        assertArrayEquals(x.toArray(), dropout.forward(x).toArray());
    }

    @ParameterizedTest
    @ValueSource(floats = {0.1f, 0.3f, 0.5f, 0.9f})
    void dropoutZeroesAboutPAndScalesSurvivors(float p) {
        int n = 100_000;
        Dropout dropout = new Dropout(p, new Generator(4));
        Tensor x = Tensor.randn(new Generator(5), 200, 500);
        float[] in = x.toArray();
        float[] out = dropout.forward(x).toArray();
        double scale = 1.0 / (1 - p);
        int zeros = 0;
        for (int i = 0; i < n; i++) {
            if (out[i] == 0) {
                zeros++;
            } else {
                assertEquals(in[i] * scale, out[i], 1e-6 * Math.abs(in[i] * scale) + 1e-12, "survivor " + i);
            }
        }
        // The number dropped is Binomial(n, p): five standard deviations.
        double sd = Math.sqrt(n * p * (1 - p));
        assertEquals(n * p, zeros, 5 * sd, "dropped " + zeros + " of " + n + " at p = " + p);
    }

    @Test
    void dropoutKeepsTheExpectationAndItsGradientIsTheScaledMask() {
        float p = 0.25f;
        Dropout dropout = new Dropout(p, new Generator(6));
        Tensor x = Tensor.ones(50_000).requiresGrad(true);
        Tensor y = dropout.forward(x);
        double mean = y.mean().item();
        // Each output is 0 or 1/(1-p), mean 1 and variance p/(1-p).
        assertEquals(1, mean, 5 * Math.sqrt(p / (1 - p) / 50_000), "E[dropout(x)] = x");
        y.sum().backward();
        assertArrayEquals(y.toArray(), x.grad().toArray(), "∂y/∂x is the scaled mask");
    }

    @Test
    void dropoutWithPZeroIsTheIdentityAndWithPOneZeroesEverything() {
        Tensor x = Tensor.randn(new Generator(7), 30);
        assertArrayEquals(x.toArray(), new Dropout(0f, new Generator(8)).forward(x).toArray());
        Tensor dropped = new Dropout(1f, new Generator(8)).forward(x);
        assertArrayEquals(new float[30], dropped.toArray(), 0f, "zeros (of either sign)");
        for (float v : dropped.toArray()) {
            assertFalse(Float.isNaN(v));
        }
    }

    @Test
    void invalidDropoutProbabilitiesAreRejectedWithTheValue() {
        for (float p : new float[] {-0.1f, 1.5f, Float.NaN}) {
            IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> new Dropout(p));
            assertTrue(error.getMessage().contains(Float.toString(p)), error.getMessage());
        }
    }

    @Test
    void seededMasksRepeatAndSuccessiveMasksDiffer() {
        Tensor x = Tensor.ones(1000);
        Dropout a = new Dropout(0.5f, new Generator(9));
        Dropout b = new Dropout(0.5f, new Generator(9));
        float[] first = a.forward(x).toArray();
        assertArrayEquals(first, b.forward(x).toArray(), "the same seed gave different masks");
        assertFalse(Arrays.equals(first, a.forward(x).toArray()), "a second call reused the mask");
        assertFalse(Arrays.equals(first, new Dropout(0.5f, new Generator(10)).forward(x).toArray()));
        assertEquals("Dropout(p=0.5)", a.toString());
    }
}
