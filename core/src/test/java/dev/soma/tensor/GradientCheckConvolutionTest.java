package dev.soma.tensor;

import static dev.soma.testing.TensorAssertions.assertValues;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.soma.nn.AvgPool2d;
import dev.soma.nn.BatchNorm;
import dev.soma.nn.Conv2d;
import dev.soma.nn.MaxPool2d;
import dev.soma.testing.GradCheck;
import dev.soma.testing.Ref;
import dev.soma.testing.RefConvolution;
import dev.soma.testing.Values;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Gradient checks of unfold (im2col, whose backward is fold) over kernels, strides, paddings and
 * dilations, and of what is built on it: convolution (input, weight and bias), max and average
 * pooling; and of batch normalisation's training-mode composition. Each is checked against
 * {@link RefConvolution}'s direct double loops; then unfold's hand-computed values and its errors.
 */
class GradientCheckConvolutionTest {

    private static GradCheck unfold(int[] shape, int kh, int kw, int dh, int dw, int ph, int pw, int sh, int sw) {
        return GradCheck.of("unfold k(" + kh + "," + kw + ") d(" + dh + "," + dw + ") p(" + ph + "," + pw
                        + ") s(" + sh + "," + sw + ")",
                x -> x[0].unfold(kh, kw, dh, dw, ph, pw, sh, sw),
                r -> RefConvolution.unfold(r[0], kh, kw, dh, dw, ph, pw, sh, sw, 0)).input(shape);
    }

    /** Every kernel 1..3, stride 1..2, padding 0..2, dilation 1..2 on a non-square batch with C > 1, N > 1. */
    static Stream<GradCheck> unfoldGrid() {
        List<GradCheck> checks = new ArrayList<>();
        for (int k = 1; k <= 3; k++) {
            for (int s = 1; s <= 2; s++) {
                for (int p = 0; p <= 2; p++) {
                    for (int d = 1; d <= 2; d++) {
                        checks.add(unfold(new int[] {2, 3, 5, 6}, k, k, d, d, p, p, s, s));
                    }
                }
            }
        }
        return checks.stream();
    }

    static Stream<GradCheck> unfoldCorners() {
        return Stream.of(
                unfold(new int[] {1, 1, 1, 1}, 1, 1, 1, 1, 0, 0, 1, 1),
                unfold(new int[] {1, 1, 1, 1}, 3, 3, 1, 1, 1, 1, 1, 1),
                unfold(new int[] {1, 2, 7, 4}, 2, 3, 2, 1, 1, 0, 1, 2),
                unfold(new int[] {3, 1, 4, 9}, 3, 2, 1, 3, 0, 2, 2, 3),
                unfold(new int[] {2, 2, 3, 3}, 3, 3, 1, 1, 0, 0, 1, 1),
                unfold(new int[] {1, 17, 4, 4}, 2, 2, 1, 1, 0, 0, 2, 2),
                unfold(new int[] {1, 1, 18, 17}, 3, 3, 1, 1, 1, 1, 1, 1),
                unfold(new int[] {2, 2, 6, 6}, 2, 2, 1, 1, 0, 0, 3, 3), // stride > kernel skips elements
                unfold(new int[] {0, 2, 4, 4}, 2, 2, 1, 1, 0, 0, 1, 1),
                unfold(new int[] {2, 0, 4, 4}, 2, 2, 1, 1, 1, 1, 1, 1),
                GradCheck.of("unfold padded with 0.5", x -> x[0].unfold(2, 2, 1, 1, 1, 1, 1, 1, 0.5f),
                        r -> RefConvolution.unfold(r[0], 2, 2, 1, 1, 1, 1, 1, 1, 0.5)).input(1, 2, 3, 4),
                GradCheck.of("unfold then tanh", x -> x[0].unfold(3, 3, 1, 1, 1, 1, 2, 2).tanh(),
                        r -> RefConvolution.unfold(r[0], 3, 3, 1, 1, 1, 1, 2, 2, 0).map(Math::tanh)).input(2, 2, 5, 5),
                GradCheck.of("unfold of a transposed input", x -> x[0].transpose(2, 3).unfold(2, 2, 1, 1, 0, 1, 1, 1),
                        r -> RefConvolution.unfold(r[0].transpose(2, 3), 2, 2, 1, 1, 0, 1, 1, 1, 0)).input(2, 2, 3, 5));
    }

    private static GradCheck conv2d(int[] input, int outChannels, int kernel, int stride, int padding, int dilation,
                                    boolean bias) {
        int[] weight = {outChannels, input[1], kernel, kernel};
        String name = "conv2d k" + kernel + " s" + stride + " p" + padding + " d" + dilation;
        if (!bias) {
            return GradCheck.of(name + " no bias", x -> Conv2d.conv2d(x[0], x[1], null, stride, padding, dilation),
                    r -> RefConvolution.conv2d(r[0], r[1], null, stride, padding, dilation)).input(input).input(weight);
        }
        return GradCheck.of(name, x -> Conv2d.conv2d(x[0], x[1], x[2], stride, padding, dilation),
                r -> RefConvolution.conv2d(r[0], r[1], r[2], stride, padding, dilation))
                .input(input).input(weight).input(outChannels);
    }

    static Stream<GradCheck> conv2d() {
        return Stream.of(
                conv2d(new int[] {2, 3, 5, 6}, 4, 3, 1, 1, 1, true),
                conv2d(new int[] {2, 3, 5, 6}, 4, 3, 2, 0, 1, true),
                conv2d(new int[] {1, 2, 7, 5}, 3, 2, 1, 2, 2, true),
                conv2d(new int[] {3, 1, 4, 4}, 2, 1, 1, 0, 1, true),
                conv2d(new int[] {2, 2, 6, 6}, 5, 3, 2, 1, 2, false),
                conv2d(new int[] {1, 4, 3, 3}, 1, 3, 1, 0, 1, true),
                GradCheck.of("conv2d of a shared input twice", x -> Conv2d.conv2d(x[0], x[1], null, 1, 1, 1)
                                .add(Conv2d.conv2d(x[0], x[1], null, 1, 1, 1).tanh()),
                        r -> {
                            Ref y = RefConvolution.conv2d(r[0], r[1], null, 1, 1, 1);
                            return y.add(y.map(Math::tanh));
                        }).input(2, 2, 4, 3).input(3, 2, 2, 2));
    }

    private static GradCheck conv2dRelu(int[] input, int outChannels, int stride, int padding, boolean pool) {
        int[] weight = {outChannels, input[1], 3, 3};
        return GradCheck.of("conv2dRelu s" + stride + " p" + padding + (pool ? " then maxPool2d(2)" : ""),
                x -> x[0].conv2dRelu(x[1], x[2], stride, padding, 1, pool),
                r -> {
                    Ref y = RefConvolution.conv2d(r[0], r[1], r[2], stride, padding, 1).map(v -> Math.max(v, 0));
                    return pool ? RefConvolution.maxPool2d(y, 2, 2, 0, 1) : y;
                }).input(input).input(weight).input(outChannels);
    }

    /** The fused epilogues: relu, and relu then 2×2 pooling, over even and odd output sizes. */
    static Stream<GradCheck> fusedConv2d() {
        return Stream.of(
                conv2dRelu(new int[] {2, 3, 5, 6}, 4, 1, 1, false),
                conv2dRelu(new int[] {2, 3, 6, 6}, 4, 1, 1, true),
                conv2dRelu(new int[] {3, 2, 9, 7}, 3, 1, 0, true),
                conv2dRelu(new int[] {1, 2, 11, 10}, 5, 2, 1, true));
    }

    private static GradCheck maxPool(int[] shape, int kernel, int stride, int padding, int dilation) {
        return GradCheck.of("maxPool2d k" + kernel + " s" + stride + " p" + padding + " d" + dilation,
                x -> MaxPool2d.maxPool2d(x[0], kernel, stride, padding, dilation),
                r -> RefConvolution.maxPool2d(r[0], kernel, stride, padding, dilation))
                .input(Values.distinct(-2, 2), shape);
    }

    private static GradCheck avgPool(int[] shape, int kernel, int stride, int padding) {
        return GradCheck.of("avgPool2d k" + kernel + " s" + stride + " p" + padding,
                x -> AvgPool2d.avgPool2d(x[0], kernel, stride, padding),
                r -> RefConvolution.avgPool2d(r[0], kernel, stride, padding)).input(shape);
    }

    /** Distinct values, so that every window has one maximum that a small step cannot change. */
    static Stream<GradCheck> pooling() {
        return Stream.of(
                maxPool(new int[] {2, 3, 4, 6}, 2, 2, 0, 1),
                maxPool(new int[] {2, 2, 5, 7}, 3, 1, 1, 1), // overlapping windows share maxima
                maxPool(new int[] {1, 2, 5, 5}, 3, 2, 1, 1),
                maxPool(new int[] {1, 1, 7, 6}, 2, 1, 0, 2),
                maxPool(new int[] {3, 1, 5, 4}, 2, 3, 1, 1),
                maxPool(new int[] {1, 1, 1, 1}, 1, 1, 0, 1),
                avgPool(new int[] {2, 3, 4, 6}, 2, 2, 0),
                avgPool(new int[] {2, 2, 5, 7}, 3, 1, 1),
                avgPool(new int[] {1, 2, 5, 5}, 3, 2, 1),
                avgPool(new int[] {3, 1, 5, 4}, 2, 3, 1));
    }

    private static GradCheck batchNormTraining(int... shape) {
        int channels = shape[1];
        return GradCheck.of("batchNorm training",
                x -> BatchNorm.batchNorm(x[0], null, null, x[1], x[2], true, 0.1f, 1e-5f),
                r -> RefConvolution.batchNorm(r[0], r[1], r[2], 1e-5)).input(shape).input(channels).input(channels);
    }

    static Stream<GradCheck> batchNorm() {
        return Stream.of(
                batchNormTraining(4, 3),
                batchNormTraining(2, 1),
                batchNormTraining(3, 2, 5),
                batchNormTraining(2, 3, 3, 4),
                batchNormTraining(1, 2, 2, 2),
                GradCheck.of("batchNorm training, no affine, then tanh",
                        x -> BatchNorm.batchNorm(x[0], null, null, null, null, true, 0.1f, 1e-5f).tanh(),
                        r -> RefConvolution.batchNorm(r[0], null, null, 1e-5).map(Math::tanh)).input(5, 2, 3),
                GradCheck.of("batchNorm evaluation", x -> BatchNorm.batchNorm(x[0], x[1], x[2], x[3], x[4], false, 0.1f,
                                1e-5f),
                        r -> r[0].sub(r[1].reshape(1, 3, 1, 1)).div(r[2].add(1e-5).map(Math::sqrt).reshape(1, 3, 1, 1))
                                .mul(r[3].reshape(1, 3, 1, 1)).add(r[4].reshape(1, 3, 1, 1)))
                        .input(2, 3, 2, 2).constant(Values.uniform(-1, 1), 3).constant(Values.uniform(0.5, 2), 3)
                        .input(3).input(3));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource({"unfoldGrid", "unfoldCorners", "conv2d", "fusedConv2d", "pooling", "batchNorm"})
    void gradient(GradCheck check) {
        check.run();
    }

    // ---------------------------------------------------------------- values and errors

    @Test
    void unfoldOfA3x3ImageWithA2x2KernelListsEachWindowAsAColumn() {
        Tensor x = Tensor.arange(9).view(1, 1, 3, 3);
        assertValues(x.unfold(2, 2, 1, 1, 0, 0, 1, 1), new int[] {1, 4, 4},
                0, 1, 3, 4,
                1, 2, 4, 5,
                3, 4, 6, 7,
                4, 5, 7, 8);
    }

    @Test
    void paddingTakesThePadValueAndReceivesNoGradient() {
        Tensor x = Tensor.of(new float[] {1, 2, 3, 4}, 1, 1, 2, 2).requiresGrad(true);
        Tensor columns = x.unfold(2, 2, 1, 1, 1, 1, 2, 2, Float.NEGATIVE_INFINITY);
        float inf = Float.NEGATIVE_INFINITY;
        // Padded to 4x4, stride 2: four windows, each holding one input element in a different corner.
        assertValues(columns, new int[] {1, 4, 4},
                inf, inf, inf, 4,
                inf, inf, 3, inf,
                inf, 2, inf, inf,
                1, inf, inf, inf);
        columns.backward(Tensor.ones(1, 4, 4));
        assertValues(x.grad(), new int[] {1, 1, 2, 2}, 1, 1, 1, 1);
    }

    @Test
    void foldAddsTheGradientOfEveryWindowAnElementLiesIn() {
        Tensor x = Tensor.zeros(1, 1, 3, 3).requiresGrad(true);
        x.unfold(2, 2, 1, 1, 0, 0, 1, 1).sum().backward();
        assertValues(x.grad(), new int[] {1, 1, 3, 3}, 1, 2, 1, 2, 4, 2, 1, 2, 1);
    }

    @Test
    void outputSizeFollowsPyTorchsFormula() {
        assertEquals(28, Shape.convolutionOutputSize(28, 3, 1, 1, 1));
        assertEquals(14, Shape.convolutionOutputSize(28, 2, 1, 0, 2));
        assertEquals(3, Shape.convolutionOutputSize(7, 3, 2, 1, 2)); // ⌊(7 + 2 − 4 − 1)/2⌋ + 1
        assertEquals(1, Shape.convolutionOutputSize(5, 5, 1, 0, 3));
        assertEquals(0, Shape.convolutionOutputSize(4, 5, 1, 0, 1));
        int[] shape = Tensor.zeros(2, 3, 7, 10).unfold(3, 2, 2, 3, 1, 0, 2, 3).shape();
        // outH = ⌊(7 + 2 − 4 − 1)/2⌋ + 1 = 3, outW = ⌊(10 − 3 − 1)/3⌋ + 1 = 3
        assertEquals(List.of(2, 18, 3 * 3), List.of(shape[0], shape[1], shape[2]));
    }

    private static void assertMessage(String expected, Executable call) {
        assertEquals(expected, assertThrows(IllegalArgumentException.class, call).getMessage());
    }

    @Test
    void errorsNameTheOpAndTheShapes() {
        assertMessage("unfold: input must have rank 4 [N, C, H, W], got shape [3, 4, 4]",
                () -> Tensor.zeros(3, 4, 4).unfold(2, 2, 1, 1, 0, 0, 1, 1));
        assertMessage("unfold: the dilated kernel (5, 5) is larger than the padded input (3, 7) of input [1, 1, 3, 5]"
                        + " with kernel (3, 3), dilation (2, 2), padding (0, 1), stride (1, 1)",
                () -> Tensor.zeros(1, 1, 3, 5).unfold(3, 3, 2, 2, 0, 1, 1, 1));
        assertMessage("unfold: kernel, dilation and stride must be > 0 and padding ≥ 0, got kernel (2, 2),"
                        + " dilation (1, 1), padding (0, 0), stride (0, 1)",
                () -> Tensor.zeros(1, 1, 3, 3).unfold(2, 2, 1, 1, 0, 0, 0, 1));
        assertMessage("unfold: kernel, dilation and stride must be > 0 and padding ≥ 0, got kernel (2, 2),"
                        + " dilation (1, 1), padding (-1, 0), stride (1, 1)",
                () -> Tensor.zeros(1, 1, 3, 3).unfold(2, 2, 1, 1, -1, 0, 1, 1));
        assertMessage("unfold: kernel, dilation and stride must be > 0 and padding ≥ 0, got kernel (0, 2),"
                        + " dilation (1, 1), padding (0, 0), stride (1, 1)",
                () -> Tensor.zeros(1, 1, 3, 3).unfold(0, 2, 1, 1, 0, 0, 1, 1));
    }

    @Test
    void unfoldRecordsItselfInTheGraph() {
        Tensor x = Tensor.zeros(1, 1, 2, 2).requiresGrad(true);
        assertEquals("unfold", x.unfold(1, 1, 1, 1, 0, 0, 1, 1).gradFnName());
        try (NoGrad scope = NoGrad.enter()) {
            assertEquals(null, x.unfold(1, 1, 1, 1, 0, 0, 1, 1).gradFnName());
        }
    }
}
