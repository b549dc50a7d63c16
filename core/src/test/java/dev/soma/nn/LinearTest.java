package dev.soma.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.soma.tensor.Generator;
import dev.soma.tensor.Tensor;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code y = x·Wᵀ + b} against explicit double loops, PyTorch's initialisation, and gradients against
 * central finite differences of a double-precision re-implementation.
 */
class LinearTest {

    /** Input shapes [in], [N, in] and [B, N, in], for feature counts at and around small SIMD lanes. */
    static Stream<Arguments> shapes() {
        return Stream.of(
                Arguments.of(1, 1, new int[] {1}),
                Arguments.of(3, 4, new int[] {3}),
                Arguments.of(3, 4, new int[] {5, 3}),
                Arguments.of(2, 1, new int[] {1, 2}),
                Arguments.of(17, 5, new int[] {4, 17}),
                Arguments.of(4, 3, new int[] {2, 3, 4}),
                Arguments.of(16, 15, new int[] {3, 2, 16}));
    }

    /**
     * The layer's output in double: {@code out[r, k] = Σⱼ W[k, j]·x[r, j] + b[k]}, rows r of the input
     * flattened over its leading dimensions.
     */
    private static double[] reference(double[] x, double[] w, double[] b, int in, int out) {
        int rows = x.length / in;
        double[] y = new double[rows * out];
        for (int r = 0; r < rows; r++) {
            for (int k = 0; k < out; k++) {
                double sum = b == null ? 0 : b[k];
                for (int j = 0; j < in; j++) {
                    sum += w[k * in + j] * x[r * in + j];
                }
                y[r * out + k] = sum;
            }
        }
        return y;
    }

    private static double[] toDouble(float[] values) {
        double[] out = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i];
        }
        return out;
    }

    private static int[] outputShape(int[] inputShape, int out) {
        int[] shape = inputShape.clone();
        shape[shape.length - 1] = out;
        return shape;
    }

    // ---------------------------------------------------------------- forward

    @ParameterizedTest(name = "in={0}, out={1}, input {2}")
    @MethodSource("shapes")
    void forwardIsInputTimesWeightTransposedPlusBias(int in, int out, int[] inputShape) {
        Linear layer = new Linear(in, out, new Generator(in * 31L + out));
        Tensor x = Tensor.randn(new Generator(99), inputShape);
        Tensor y = layer.forward(x);
        assertArrayEquals(outputShape(inputShape, out), y.shape());

        double[] expected = reference(toDouble(x.toArray()), toDouble(layer.weight().toArray()),
                toDouble(layer.bias().toArray()), in, out);
        float[] actual = y.toArray();
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], 1e-5 * (1 + in), "output element " + i);
        }
    }

    @ParameterizedTest(name = "in={0}, out={1}, input {2}")
    @MethodSource("shapes")
    void withoutBiasTheOutputIsInputTimesWeightTransposed(int in, int out, int[] inputShape) {
        Linear layer = new Linear.Spec(in, out).bias(false).build(new Generator(in * 17L + out));
        assertNull(layer.bias());
        assertEquals(List.of("weight"), List.copyOf(layer.namedParameters().keySet()));
        Tensor x = Tensor.randn(new Generator(98), inputShape);
        Tensor y = layer.forward(x);
        assertArrayEquals(outputShape(inputShape, out), y.shape());
        double[] expected = reference(toDouble(x.toArray()), toDouble(layer.weight().toArray()), null, in, out);
        float[] actual = y.toArray();
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], 1e-5 * (1 + in), "output element " + i);
        }
    }

    @Test
    void forwardMatchesHandComputedNumbers() {
        Linear layer = new Linear(2, 2, new Generator(0));
        Tensor w = Tensor.matrix(new float[][] {{1, 2}, {-3, 0.5f}});
        Tensor b = Tensor.vector(0.25f, -1);
        layer.loadStateDict(Map.of("weight", w, "bias", b));
        // [1, 2]·[[1, -3], [2, 0.5]] + [0.25, -1] = [5.25, -3]
        assertArrayEquals(new float[] {5.25f, -3f}, layer.forward(Tensor.vector(1, 2)).toArray());
        // [2, -1] → [2 - 2 + 0.25, -6 - 0.5 - 1]; x·W (no transpose) would give [5.25, …]
        assertArrayEquals(new float[] {0.25f, -7.5f, 5.25f, -3f},
                layer.forward(Tensor.matrix(new float[][] {{2, -1}, {1, 2}})).toArray());
    }

    @Test
    void parametersHavePyTorchShapesAndNames() {
        Linear layer = new Linear(3, 7, new Generator(1));
        assertEquals(List.of("weight", "bias"), List.copyOf(layer.namedParameters().keySet()));
        assertArrayEquals(new int[] {7, 3}, layer.weight().shape());
        assertArrayEquals(new int[] {7}, layer.bias().shape());
        assertEquals(3, layer.inFeatures());
        assertEquals(7, layer.outFeatures());
        assertEquals("Linear(in_features=3, out_features=7, bias=True)", layer.toString());
        assertEquals("Linear(in_features=3, out_features=7, bias=False)",
                new Linear.Spec(3, 7).bias(false).build(new Generator(1)).toString());
    }

    @Test
    void wrongInputSizeIsRejectedWithTheShapes() {
        Linear layer = new Linear(3, 2, new Generator(2));
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> layer.forward(Tensor.zeros(4, 5)));
        String message = error.getMessage();
        assertTrue(message.contains("in_features=3"), message);
        assertTrue(message.contains("[4, 5]"), message);
        assertTrue(message.contains("3 features"), message);
        assertThrows(IllegalArgumentException.class, () -> layer.forward(Tensor.scalar(1)));
        assertThrows(IllegalArgumentException.class, () -> layer.forward(Tensor.zeros(3, 2)));
    }

    @Test
    void negativeSizesAreRejectedWithTheValue() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> new Linear(-1, 2, new Generator(0)));
        assertTrue(error.getMessage().contains("-1"), error.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Linear(2, -3, new Generator(0)));
    }

    // ---------------------------------------------------------------- initialisation

    @Test
    void initialisationIsUniformWithinOneOverRootIn() {
        int in = 400;
        int out = 500;
        Linear layer = new Linear(in, out, new Generator(3));
        double bound = 1 / Math.sqrt(in);
        float[] w = layer.weight().toArray();
        int n = w.length;

        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        double sum = 0;
        double sumSquares = 0;
        int[] bins = new int[10];
        for (float v : w) {
            assertTrue(Math.abs(v) <= bound, v + " is outside ±" + bound);
            min = Math.min(min, v);
            max = Math.max(max, v);
            sum += v;
            sumSquares += (double) v * v;
            bins[Math.min(9, (int) ((v + bound) / (2 * bound) * 10))]++;
        }
        // The gap between the sample extreme and the bound is about Exp(mean 2b/n): 20 means is e⁻²⁰.
        double gap = 20 * 2 * bound / n;
        assertTrue(max > bound - gap, "max " + max + " is not near " + bound);
        assertTrue(min < -bound + gap, "min " + min + " is not near " + -bound);

        // U(-b, b) has mean 0, variance b²/3 and Var(x²) = b⁴/5 - b⁴/9; five standard errors each.
        double mean = sum / n;
        double meanError = bound / Math.sqrt(3.0 * n);
        assertTrue(Math.abs(mean) < 5 * meanError, "mean " + mean + ", standard error " + meanError);
        double variance = sumSquares / n - mean * mean;
        double varianceError = Math.sqrt((1 / 5.0 - 1 / 9.0) / n) * bound * bound;
        assertEquals(bound * bound / 3, variance, 5 * varianceError, "variance");

        // Each tenth of the range holds a tenth of the weights: Binomial(n, 0.1), five standard errors.
        double binError = Math.sqrt(n * 0.1 * 0.9);
        for (int i = 0; i < bins.length; i++) {
            assertEquals(n / 10.0, bins[i], 5 * binError, "bin " + i + " of " + Arrays.toString(bins));
        }

        for (float v : layer.bias().toArray()) {
            assertTrue(Math.abs(v) <= bound, "bias " + v + " is outside ±" + bound);
        }
        float biasMax = 0;
        for (float v : layer.bias().toArray()) {
            biasMax = Math.max(biasMax, Math.abs(v));
        }
        assertTrue(biasMax > 0.9 * bound, "the bias does not use the range ±1/√in: max |b| = " + biasMax);
    }

    @Test
    void theBoundFollowsInFeaturesNotOutFeatures() {
        Linear wide = new Linear(4, 2000, new Generator(4));
        float max = 0;
        for (float v : wide.weight().toArray()) {
            max = Math.max(max, Math.abs(v));
        }
        assertTrue(max <= 0.5f && max > 0.49f, "max |w| " + max + " for in = 4 should approach 1/√4 = 0.5");
    }

    @Test
    void sameSeedGivesSameWeightsAndOtherSeedsDiffer() {
        Linear a = new Linear(6, 5, new Generator(42));
        Linear b = new Linear(6, 5, new Generator(42));
        Linear c = new Linear(6, 5, new Generator(43));
        assertArrayEquals(a.weight().toArray(), b.weight().toArray());
        assertArrayEquals(a.bias().toArray(), b.bias().toArray());
        assertFalse(Arrays.equals(a.weight().toArray(), c.weight().toArray()));

        a.resetParameters(new Generator(43));
        assertArrayEquals(c.weight().toArray(), a.weight().toArray());
        assertArrayEquals(c.bias().toArray(), a.bias().toArray());
    }

    // ---------------------------------------------------------------- gradients

    /** {@code L = Σ R ⊙ tanh(x·Wᵀ + b)} in double, the loss whose gradients the test checks. */
    private static double loss(double[] x, double[] w, double[] b, double[] r, int in, int out) {
        double[] y = reference(x, w, b, in, out);
        double sum = 0;
        for (int i = 0; i < y.length; i++) {
            sum += r[i] * Math.tanh(y[i]);
        }
        return sum;
    }

    /** Central differences of {@link #loss} in each element of {@code target} (one of x, w, b). */
    private static double[] numericGradient(double[] target, double[] x, double[] w, double[] b, double[] r,
            int in, int out) {
        double[] grad = new double[target.length];
        for (int i = 0; i < target.length; i++) {
            double original = target[i];
            double h = 1e-6 * Math.max(1, Math.abs(original));
            target[i] = original + h;
            double plus = loss(x, w, b, r, in, out);
            target[i] = original - h;
            double minus = loss(x, w, b, r, in, out);
            target[i] = original;
            grad[i] = (plus - minus) / (2 * h);
        }
        return grad;
    }

    private static void assertGradient(String name, double[] numeric, Tensor grad, int[] shape) {
        assertNotNull(grad, name + " has no gradient");
        assertArrayEquals(shape, grad.shape(), name + " gradient shape");
        float[] analytic = grad.toArray();
        for (int i = 0; i < numeric.length; i++) {
            assertEquals(numeric[i], analytic[i], 1e-3 * (1 + Math.abs(numeric[i])), name + " element " + i);
        }
    }

    @ParameterizedTest(name = "in={0}, out={1}, input {2}")
    @MethodSource("shapes")
    void gradientsMatchFiniteDifferencesInDouble(int in, int out, int[] inputShape) {
        Linear layer = new Linear(in, out, new Generator(in * 7L + out));
        Tensor x = Tensor.randn(new Generator(97), inputShape).requiresGrad(true);
        Tensor y = layer.forward(x).tanh();
        SplittableRandom random = new SplittableRandom(5);
        float[] weights = new float[y.numel()];
        for (int i = 0; i < weights.length; i++) {
            weights[i] = (float) random.nextDouble(-1, 1);
        }
        y.backward(Tensor.of(weights, y.shape()));

        double[] xs = toDouble(x.toArray());
        double[] ws = toDouble(layer.weight().toArray());
        double[] bs = toDouble(layer.bias().toArray());
        double[] rs = toDouble(weights);
        assertGradient("weight", numericGradient(ws, xs, ws, bs, rs, in, out), layer.weight().grad(), new int[] {out, in});
        assertGradient("bias", numericGradient(bs, xs, ws, bs, rs, in, out), layer.bias().grad(), new int[] {out});
        assertGradient("input", numericGradient(xs, xs, ws, bs, rs, in, out), x.grad(), inputShape);
    }

    @Test
    void gradientsWithoutBias() {
        int in = 5;
        int out = 3;
        Linear layer = new Linear.Spec(in, out).bias(false).build(new Generator(6));
        Tensor x = Tensor.randn(new Generator(7), 4, in).requiresGrad(true);
        layer.forward(x).tanh().sum().backward();
        double[] xs = toDouble(x.toArray());
        double[] ws = toDouble(layer.weight().toArray());
        double[] ones = new double[4 * out];
        Arrays.fill(ones, 1);
        assertGradient("weight", numericGradient(ws, xs, ws, null, ones, in, out), layer.weight().grad(),
                new int[] {out, in});
        assertGradient("input", numericGradient(xs, xs, ws, null, ones, in, out), x.grad(), new int[] {4, in});
    }
}
