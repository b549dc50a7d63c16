package dev.soma.tensor;

import static dev.soma.testing.Values.integers;
import static dev.soma.testing.Values.uniform;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.soma.testing.Values;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every fused op against its composed form ({@link Composed}), values and gradients, on the same float
 * inputs: the fused op must compute its definition.
 *
 * <p>Tolerance. Both forms compute the same float expression; they differ only in the order in which
 * they add (a gemm blocked one way or another, a chunk of images or one image at a time, the scalar or
 * the vector kernel, fold's order against pooling's) and, for binary cross-entropy, in the logarithm
 * (the fused op's {@code Math.log}, the composed one's {@code Exponential.log}, within one unit in the
 * last place of each other). Adding K rounded terms in another order moves a sum of random signs by
 * about {@code √K·ε} of its size (ε = 2⁻²⁴, a random walk of rounding errors), and by at most
 * {@code K·ε·Σ|terms|}. The sums here have K ≤ 400 terms ({@code √K·ε ≈ 1.2·10⁻⁶}; the largest
 * difference seen is 9·10⁻⁷), so values and gradients must agree to {@value #TOLERANCE}·(1 + |composed|),
 * element by element; the two-chunk batches, whose weight gradient sums 31,360 products
 * ({@code √K·ε ≈ 1.1·10⁻⁵}, seen 1.3·10⁻⁵), to {@value #LONG_SUMS}. A wrong rule (a missing term, a
 * gradient sent to the wrong one of two tied elements) is off by O(1).
 *
 * <p>With whole numbers as inputs (and upstream gradients) every product and sum is exact in float,
 * so the order cannot matter: those cases must agree bit for bit, which also checks that both forms
 * break ties in max pooling and relu the same way.
 */
class FusedAgainstComposedTest {

    /** |fused − composed| allowed, times (1 + |composed|), where sums of up to 400 terms are reordered. */
    static final double TOLERANCE = 1e-5;
    /** The same, for sums of about 31,000 terms. */
    static final double LONG_SUMS = 1e-4;

    /** One op in both forms, with its inputs; {@link #run} compares them. */
    record Pair(String name, Function<Tensor[], Tensor> fused, Function<Tensor[], Tensor> composed,
                List<Input> inputs, double tolerance) {

        record Input(Values values, int[] shape, boolean differentiable) {
        }

        static Pair of(String name, Function<Tensor[], Tensor> fused, Function<Tensor[], Tensor> composed) {
            return new Pair(name, fused, composed, List.of(), TOLERANCE);
        }

        Pair input(Values values, int... shape) {
            return with(new Input(values, shape, true));
        }

        Pair input(int... shape) {
            return input(uniform(-2, 2), shape);
        }

        /** An input that requires no gradient (a network's images, a target). */
        Pair constant(Values values, int... shape) {
            return with(new Input(values, shape, false));
        }

        /** The forms must agree bit for bit (whole numbers: every sum is exact). */
        Pair exact() {
            return new Pair(name, fused, composed, inputs, 0);
        }

        /** A sum of tens of thousands of terms is reordered (see {@link #LONG_SUMS}). */
        Pair longSums() {
            return new Pair(name, fused, composed, inputs, LONG_SUMS);
        }

        private Pair with(Input input) {
            List<Input> more = new ArrayList<>(inputs);
            more.add(input);
            return new Pair(name, fused, composed, more, tolerance);
        }

        @Override
        public String toString() {
            StringBuilder s = new StringBuilder(name);
            inputs.forEach(i -> s.append(i.differentiable ? " " : " const").append(Arrays.toString(i.shape)));
            return s.toString();
        }

        /** The output and then each differentiable input's gradient, after backward of {@code Σ out ⊙ R}. */
        private List<float[]> results(Function<Tensor[], Tensor> op, float[][] values, Values upstream) {
            Tensor[] tensors = new Tensor[inputs.size()];
            for (int i = 0; i < tensors.length; i++) {
                tensors[i] = Tensor.of(values[i], inputs.get(i).shape).requiresGrad(inputs.get(i).differentiable);
            }
            Tensor out = op.apply(tensors);
            double[] r = upstream.draw(out.numel(), new SplittableRandom(name.hashCode()));
            float[] weights = new float[r.length];
            for (int j = 0; j < r.length; j++) {
                weights[j] = (float) r[j];
            }
            out.backward(Tensor.of(weights, out.shape()));
            List<float[]> results = new ArrayList<>(List.of(out.toArray()));
            for (int i = 0; i < tensors.length; i++) {
                if (inputs.get(i).differentiable) {
                    assertNotNull(tensors[i].grad(), this + ": input " + i + " received no gradient");
                    results.add(tensors[i].grad().toArray());
                }
            }
            return results;
        }

        void run() {
            SplittableRandom random = new SplittableRandom(0x5EED_0000L + name.hashCode());
            float[][] values = new float[inputs.size()][];
            boolean whole = tolerance == 0;
            for (int i = 0; i < values.length; i++) {
                double[] drawn = inputs.get(i).values.draw(Shape.numel(inputs.get(i).shape), random);
                values[i] = new float[drawn.length];
                for (int j = 0; j < drawn.length; j++) {
                    values[i][j] = (float) drawn[j];
                }
            }
            Values upstream = whole ? integers(-3, 4) : uniform(-1, 1);
            List<float[]> fusedResults = results(fused, values, upstream);
            List<float[]> composedResults = results(composed, values, upstream);
            for (int k = 0; k < fusedResults.size(); k++) {
                String what = this + ": " + (k == 0 ? "output" : "gradient " + k);
                float[] f = fusedResults.get(k);
                float[] c = composedResults.get(k);
                assertEquals(c.length, f.length, what + ": sizes differ");
                int failures = 0;
                String first = "";
                for (int j = 0; j < f.length; j++) {
                    double allowed = tolerance * (1 + Math.abs(c[j]));
                    boolean same = whole ? Float.floatToIntBits(f[j] + 0f) == Float.floatToIntBits(c[j] + 0f)
                            : Math.abs(f[j] - c[j]) <= allowed;
                    if (!same && failures++ == 0) {
                        first = " (first at element " + j + ": fused " + f[j] + ", composed " + c[j] + ")";
                    }
                }
                assertEquals(0, failures, what + " differs at " + failures + " of " + f.length + " elements" + first);
            }
        }
    }

    // ---------------------------------------------------------------- linear

    private static Pair linear(String name, boolean bias) {
        return Pair.of("linear " + name + (bias ? "" : " without bias"),
                x -> Fused.linear(x[0], x[1], bias ? x[2] : null),
                x -> Composed.linear(x[0], x[1], bias ? x[2] : null));
    }

    static Stream<Pair> linear() {
        return Stream.of(
                linear("small", true).input(5, 3).input(4, 3).input(4),
                linear("scalar-sized", false).input(17, 33).input(15, 33),
                linear("batch of 1", true).input(1, 9).input(6, 9).input(6),
                linear("of a vector", true).input(7).input(2, 7).input(2),
                linear("of a batch of sequences", true).input(2, 3, 16).input(31, 16).input(31),
                linear("one feature in and out", true).input(8, 1).input(1, 1).input(1),
                linear("past the packed gemm's blocks", true).input(70, 129).input(33, 129).input(33),
                linear("of whole numbers", true).input(integers(-3, 4), 9, 17).input(integers(-3, 4), 5, 17)
                        .input(integers(-3, 4), 5).exact(),
                Pair.of("linear of a transposed input", x -> Fused.linear(x[0].t(), x[1], x[2]),
                        x -> Composed.linear(x[0].t(), x[1], x[2])).input(3, 4).input(2, 3).input(2));
    }

    // ---------------------------------------------------------------- convolution

    private static Pair conv2d(int[] input, int outChannels, int kernel, int stride, int padding, int dilation,
                               boolean bias) {
        String name = "conv2d k" + kernel + " s" + stride + " p" + padding + " d" + dilation + (bias ? "" : " no bias");
        Pair pair = Pair.of(name,
                x -> Conv2dOp.conv2d(x[0], x[1], bias ? x[2] : null, stride, stride, padding, padding, dilation,
                        dilation),
                x -> Composed.conv2d(x[0], x[1], bias ? x[2] : null, stride, padding, dilation))
                .input(input).input(outChannels, input[1], kernel, kernel);
        return bias ? pair.input(outChannels) : pair;
    }

    /** Every kernel 1..3, stride 1..2, padding 0..1, dilation 1..2, with and without bias, on odd sizes. */
    static Stream<Pair> conv2dGrid() {
        List<Pair> pairs = new ArrayList<>();
        for (int k = 1; k <= 3; k++) {
            for (int s = 1; s <= 2; s++) {
                for (int p = 0; p <= 1; p++) {
                    for (int d = 1; d <= 2; d++) {
                        pairs.add(conv2d(new int[] {2, 3, 7, 6}, 4, k, s, p, d, (k + s + p + d) % 2 == 0));
                    }
                }
            }
        }
        return pairs.stream();
    }

    static Stream<Pair> conv2d() {
        return Stream.of(
                conv2d(new int[] {1, 1, 1, 1}, 1, 1, 1, 0, 1, true),
                conv2d(new int[] {1, 1, 1, 1}, 2, 3, 1, 1, 1, true), // all but the centre is padding
                conv2d(new int[] {1, 2, 5, 5}, 3, 5, 1, 0, 1, false), // a 1×1 output
                conv2d(new int[] {3, 2, 9, 4}, 5, 3, 3, 2, 1, true), // stride past the kernel, wide padding
                conv2d(new int[] {1, 17, 4, 4}, 33, 2, 1, 0, 1, true), // wider than a vector of lanes
                // 40 images of 28×28 into 16 channels: the fused op cuts the batch into two chunks
                conv2d(new int[] {40, 1, 28, 28}, 16, 3, 1, 1, 1, true).longSums(),
                Pair.of("conv2d of images that need no gradient",
                        x -> Conv2dOp.conv2d(x[0], x[1], x[2], 1, 1, 1, 1, 1, 1),
                        x -> Composed.conv2d(x[0], x[1], x[2], 1, 1, 1))
                        .constant(uniform(0, 1), 4, 1, 8, 8).input(6, 1, 3, 3).input(6),
                Pair.of("conv2d of whole numbers", x -> Conv2dOp.conv2d(x[0], x[1], x[2], 2, 2, 1, 1, 1, 1),
                        x -> Composed.conv2d(x[0], x[1], x[2], 2, 1, 1))
                        .input(integers(-3, 4), 2, 3, 7, 8).input(integers(-2, 3), 4, 3, 3, 3)
                        .input(integers(-3, 4), 4).exact());
    }

    private static Pair conv2dRelu(int[] input, int outChannels, int kernel, int stride, int padding,
                                   boolean pool, Values values) {
        Conv2dOp.Epilogue epilogue = pool ? Conv2dOp.Epilogue.RELU_MAX_POOL_2 : Conv2dOp.Epilogue.RELU;
        return Pair.of("conv2d k" + kernel + " s" + stride + " p" + padding + " + " + epilogue,
                        x -> Conv2dOp.conv2d(x[0], x[1], x[2], stride, stride, padding, padding, 1, 1, epilogue),
                        x -> Composed.conv2dRelu(x[0], x[1], x[2], stride, padding, 1, pool))
                .input(values, input).input(values, outChannels, input[1], kernel, kernel).input(values, outChannels);
    }

    /** The epilogues: relu, and relu then 2×2 pooling, over even and odd output sizes. */
    static Stream<Pair> conv2dRelu() {
        Values real = uniform(-2, 2);
        Values whole = integers(-2, 3);
        return Stream.of(
                conv2dRelu(new int[] {2, 3, 5, 6}, 4, 3, 1, 1, false, real),
                conv2dRelu(new int[] {2, 3, 6, 6}, 4, 3, 1, 1, true, real),
                conv2dRelu(new int[] {3, 2, 9, 7}, 3, 3, 1, 0, true, real), // 7×5 pools to 3×2
                conv2dRelu(new int[] {1, 2, 11, 10}, 5, 2, 2, 1, true, real),
                conv2dRelu(new int[] {40, 1, 28, 28}, 16, 3, 1, 1, true, real).longSums(), // two chunks
                // whole numbers: many outputs exactly 0 and many tied maxima, which both forms must
                // break alike (relu's gradient at 0 is 0; pooling's goes to the first maximum)
                conv2dRelu(new int[] {3, 2, 9, 8}, 3, 3, 1, 1, true, whole).exact(),
                conv2dRelu(new int[] {2, 2, 5, 5}, 3, 2, 1, 0, false, whole).exact());
    }

    // ---------------------------------------------------------------- pooling

    private static Pair maxPool(int[] shape, int kernel, int stride, int padding, int dilation, Values values) {
        return Pair.of("maxPool2d k" + kernel + " s" + stride + " p" + padding + " d" + dilation,
                x -> Pooling.maxPool2d(x[0], kernel, stride, padding, dilation),
                x -> Composed.maxPool2d(x[0], kernel, stride, padding, dilation)).input(values, shape);
    }

    private static Pair maxPool(int[] shape, int[] kernel, int[] stride, int[] padding, int[] dilation, boolean ceil,
                                Values values) {
        return Pair.of("maxPool2d k" + Arrays.toString(kernel) + " s" + Arrays.toString(stride) + " p"
                        + Arrays.toString(padding) + " d" + Arrays.toString(dilation) + (ceil ? " ceil" : ""),
                x -> Pooling.maxPool2d(x[0], kernel, stride, padding, dilation, ceil),
                x -> Composed.maxPool2d(x[0], kernel, stride, padding, dilation, ceil)).input(values, shape);
    }

    static Stream<Pair> maxPool() {
        Values real = uniform(-2, 2);
        Values ties = integers(-1, 2); // three values: most windows tie
        return Stream.of(
                maxPool(new int[] {2, 3, 4, 6}, 2, 2, 0, 1, real), // the vector 2×2 kernel
                maxPool(new int[] {2, 3, 5, 7}, 2, 2, 0, 1, real), // odd sizes: a last row and column left out
                maxPool(new int[] {2, 2, 5, 7}, 3, 1, 1, 1, real), // overlapping windows share maxima
                maxPool(new int[] {1, 2, 5, 5}, 3, 2, 1, 1, real),
                maxPool(new int[] {1, 1, 7, 6}, 2, 1, 0, 2, real),
                maxPool(new int[] {3, 1, 5, 4}, 2, 3, 1, 1, real),
                maxPool(new int[] {1, 1, 1, 1}, 1, 1, 0, 1, real),
                maxPool(new int[] {4, 3, 9, 9}, 3, 2, 0, 1, real), // interior windows only
                maxPool(new int[] {64, 16, 14, 14}, 2, 2, 0, 1, real), // large enough to be split between cores
                maxPool(new int[] {2, 3, 6, 8}, 2, 2, 0, 1, ties).exact(),
                maxPool(new int[] {2, 2, 7, 7}, 3, 2, 1, 1, ties).exact(),
                maxPool(new int[] {2, 2, 7, 7}, 3, 2, 0, 1, ties).exact(),
                maxPool(new int[] {1, 2, 8, 9}, 2, 1, 0, 2, ties).exact(),
                // ceil mode: partial last windows (the 2×2 of odd sizes leaves the vector kernel), one dropped
                maxPool(new int[] {2, 3, 5, 7}, new int[] {2, 2}, new int[] {2, 2}, new int[] {0, 0},
                        new int[] {1, 1}, true, real),
                maxPool(new int[] {1, 2, 5, 5}, new int[] {2, 2}, new int[] {2, 2}, new int[] {1, 1},
                        new int[] {1, 1}, true, real),
                maxPool(new int[] {2, 2, 6, 7}, new int[] {2, 3}, new int[] {1, 2}, new int[] {1, 1},
                        new int[] {2, 1}, true, ties).exact(),
                maxPool(new int[] {1, 2, 7, 5}, new int[] {3, 1}, new int[] {2, 1}, new int[] {0, 0},
                        new int[] {2, 1}, false, real));
    }

    // ---------------------------------------------------------------- binary cross-entropy

    private static Pair bce(String name) {
        return Pair.of("binaryCrossEntropy " + name, x -> Fused.binaryCrossEntropy(x[0], x[1]),
                x -> Composed.binaryCrossEntropy(x[0], x[1]));
    }

    static Stream<Pair> binaryCrossEntropy() {
        return Stream.of(
                bce("").input(uniform(0.001, 0.999), 4, 1).input(uniform(0, 1), 4, 1),
                bce("of hard targets").input(uniform(0.001, 0.999), 33).constant(integers(0, 2), 33),
                bce("of one element").input(uniform(0.01, 0.99)).input(uniform(0, 1)),
                // probabilities next to 0 and 1; at exactly 0 and 1 the fused gradient is PyTorch's
                // (x − y)/max(x·(1 − x), 1e-12), where the clamped logarithms pass none (LossesTest)
                bce("next to 0 and 1").input(Values.fixed(1e-6, 1 - 1e-6, 1e-6, 1 - 1e-6, 1e-6, 1 - 1e-6, 0.5), 7)
                        .input(Values.fixed(0, 0, 1, 1, 0.5, 0.5, 0.5), 7));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource({"linear", "conv2dGrid", "conv2d", "conv2dRelu", "maxPool", "binaryCrossEntropy"})
    void fusedOpsComputeTheirComposedForms(Pair pair) {
        pair.run();
    }

    @Test
    void theComposedFormsRejectWhatTheFusedOnesReject() {
        Tensor images = Tensor.zeros(1, 2, 4, 4);
        List<Runnable> calls = List.of(
                () -> Composed.linear(Tensor.zeros(2, 3), Tensor.zeros(4, 3), Tensor.zeros(1)),
                () -> Composed.binaryCrossEntropy(Tensor.zeros(2), Tensor.zeros(2, 1)),
                () -> Composed.conv2d(images, Tensor.zeros(3, 2, 2, 2), Tensor.zeros(1), 1, 0, 1),
                () -> Composed.maxPool2d(images, 2, 2, 2, 1),
                () -> Composed.conv2dRelu(Tensor.zeros(1, 2, 3, 3), Tensor.zeros(3, 2, 3, 3), null, 1, 0, 1, true));
        List<Runnable> fused = List.of(
                () -> Fused.linear(Tensor.zeros(2, 3), Tensor.zeros(4, 3), Tensor.zeros(1)),
                () -> Fused.binaryCrossEntropy(Tensor.zeros(2), Tensor.zeros(2, 1)),
                () -> Conv2dOp.conv2d(images, Tensor.zeros(3, 2, 2, 2), Tensor.zeros(1), 1, 1, 0, 0, 1, 1),
                () -> Pooling.maxPool2d(images, 2, 2, 2, 1),
                () -> Conv2dOp.conv2d(Tensor.zeros(1, 2, 3, 3), Tensor.zeros(3, 2, 3, 3), null, 1, 1, 0, 0, 1, 1,
                        Conv2dOp.Epilogue.RELU_MAX_POOL_2));
        for (int i = 0; i < calls.size(); i++) {
            String expected = assertThrows(IllegalArgumentException.class, fused.get(i)::run).getMessage();
            assertEquals(expected, assertThrows(IllegalArgumentException.class, calls.get(i)::run).getMessage());
        }
    }
}
