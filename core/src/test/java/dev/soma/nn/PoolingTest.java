package dev.soma.nn;

import static dev.soma.testing.TensorAssertions.assertClose;
import static dev.soma.testing.TensorAssertions.assertShape;
import static dev.soma.testing.TensorAssertions.assertValues;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.soma.tensor.DType;
import dev.soma.tensor.Generator;
import dev.soma.tensor.Tensor;
import dev.soma.testing.Ref;
import dev.soma.testing.RefConvolution;
import dev.soma.testing.TensorAssertions;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * MaxPool2d and AvgPool2d against direct double loops, hand-computed gradients (ties go to the first
 * maximum, as PyTorch; averages count the padding), printed forms and errors. Finite-difference
 * gradient checks are in {@code GradientCheckConvolutionTest}.
 */
class PoolingTest {

    private static Ref ref(Tensor t) {
        return new Ref(TensorAssertions.doubles(t), t.shape());
    }

    /** kernel, stride, padding, dilation, input shape. */
    static Stream<Arguments> settings() {
        return Stream.of(
                Arguments.of(2, 2, 0, 1, new int[] {2, 16, 28, 28}),
                Arguments.of(2, 2, 0, 1, new int[] {1, 1, 5, 7}), // odd sizes drop the last row and column
                Arguments.of(3, 1, 1, 1, new int[] {2, 3, 6, 5}),
                Arguments.of(3, 2, 1, 1, new int[] {1, 2, 7, 7}),
                Arguments.of(2, 3, 1, 1, new int[] {3, 1, 8, 4}),
                Arguments.of(1, 1, 0, 1, new int[] {1, 2, 3, 3}),
                Arguments.of(3, 2, 0, 2, new int[] {1, 2, 9, 8}),
                // inputs of 2¹⁶ floats and more are pooled on both cores
                Arguments.of(2, 2, 0, 1, new int[] {4, 16, 32, 32}),
                Arguments.of(3, 1, 0, 1, new int[] {4, 16, 32, 32}),
                Arguments.of(3, 2, 1, 1, new int[] {5, 8, 40, 41}));
    }

    @Test
    void aLargeBatchPooledOnBothCoresHasTheGradientsOfItsImagesTakenOneByOne() {
        for (int[] settings : new int[][] {{2, 2, 0}, {3, 2, 1}}) {
            MaxPool2d pool = new MaxPool2d(settings[0], settings[1], settings[2]);
            Tensor images = Tensor.randn(new Generator(31), 4, 16, 32, 32).requiresGrad(true);
            Tensor output = pool.forward(images);
            Tensor upstream = Tensor.randn(new Generator(32), output.shape());
            output.mul(upstream).sum().backward();
            for (int n = 0; n < 4; n++) {
                Tensor image = images.detach().narrow(0, n, 1).contiguous().requiresGrad(true);
                pool.forward(image).mul(upstream.narrow(0, n, 1)).sum().backward();
                assertArrayEquals(image.grad().toArray(), images.grad().narrow(0, n, 1).contiguous().toArray());
            }
        }
    }

    @ParameterizedTest(name = "k={0}, s={1}, p={2}, d={3} on {4}")
    @MethodSource("settings")
    void maxPoolMatchesDirectLoops(int kernel, int stride, int padding, int dilation, int[] shape) {
        Tensor x = Tensor.randn(new Generator(kernel * 10L + stride), shape);
        Ref expected = RefConvolution.maxPool2d(ref(x), kernel, stride, padding, dilation);
        Tensor y = new MaxPool2d(kernel, stride, padding, dilation).forward(x);
        assertClose(y, expected.shape(), expected.data(), 0, 0);
    }

    /** The settings without dilation, which AvgPool2d does not have (nor has PyTorch's). */
    static Stream<Arguments> undilatedSettings() {
        return settings().filter(arguments -> (int) arguments.get()[3] == 1);
    }

    @ParameterizedTest(name = "k={0}, s={1}, p={2} on {4}")
    @MethodSource("undilatedSettings")
    void avgPoolMatchesDirectLoopsCountingThePadding(int kernel, int stride, int padding, int dilation, int[] shape) {
        Tensor x = Tensor.randn(new Generator(kernel * 10L + stride), shape);
        Ref expected = RefConvolution.avgPool2d(ref(x), kernel, stride, padding);
        assertClose(new AvgPool2d(kernel, stride, padding).forward(x), expected.shape(), expected.data(), 1e-6, 1e-6);
    }

    @Test
    void maxPoolOfA4x4Image() {
        Tensor x = Tensor.of(new float[] {
            1, 5, 2, 0,
            3, 4, 8, 1,
            -1, -2, 6, 7,
            -3, -4, 9, 6}, 1, 1, 4, 4).requiresGrad(true);
        Tensor y = new MaxPool2d(2).forward(x);
        assertValues(y, new int[] {1, 1, 2, 2}, 5, 8, -1, 9);
        y.backward(Tensor.of(new float[] {1, 2, 3, 4}, 1, 1, 2, 2));
        assertValues(x.grad(), new int[] {1, 1, 4, 4},
                0, 1, 0, 0,
                0, 0, 2, 0,
                3, 0, 0, 0,
                0, 0, 4, 0);
    }

    @Test
    void tiesSendTheGradientToTheFirstMaximumAsPyTorch() {
        // After a ReLU whole windows are 0: PyTorch gives each window's gradient to its first element.
        Tensor x = Tensor.zeros(1, 1, 4, 4).requiresGrad(true);
        new MaxPool2d(2).forward(x).sum().backward();
        assertValues(x.grad(), new int[] {1, 1, 4, 4},
                1, 0, 1, 0,
                0, 0, 0, 0,
                1, 0, 1, 0,
                0, 0, 0, 0);

        // Overlapping windows (stride 1): each window's first maximum takes its gradient, and they add up.
        Tensor z = Tensor.of(new float[] {2, 2, 2, 2, 2, 2}, 1, 1, 2, 3).requiresGrad(true);
        new MaxPool2d(2, 1, 0).forward(z).sum().backward();
        assertValues(z.grad(), new int[] {1, 1, 2, 3}, 1, 1, 0, 0, 0, 0);
    }

    @Test
    void aNaNInAWindowIsItsMaximumAndTakesTheGradientAsInPyTorch() {
        float nan = Float.NaN;
        Tensor x = Tensor.of(new float[] {1, nan, 3, 4, 5, 6, 7, 8}, 1, 1, 2, 4).requiresGrad(true);
        Tensor y = new MaxPool2d(2).forward(x);
        assertTrue(Float.isNaN(y.toArray()[0]), "NaN must propagate: " + y);
        assertEquals(8f, y.toArray()[1]);
        y.sum().backward();
        assertValues(x.grad(), new int[] {1, 1, 2, 4}, 0, 1, 0, 0, 0, 0, 0, 1);
    }

    @Test
    void maxPoolPadsWithMinusInfinitySoPaddingNeverWins() {
        Tensor x = Tensor.full(-5, 1, 1, 2, 2).requiresGrad(true);
        Tensor y = new MaxPool2d(2, 2, 1).forward(x);
        assertValues(y, new int[] {1, 1, 2, 2}, -5, -5, -5, -5);
        y.sum().backward();
        assertValues(x.grad(), new int[] {1, 1, 2, 2}, 1, 1, 1, 1);
    }

    @Test
    void avgPoolCountsPaddingInTheDivisor() {
        Tensor x = Tensor.ones(1, 1, 3, 3).requiresGrad(true);
        Tensor y = new AvgPool2d(3, 1, 1).forward(x);
        // Corners see 4 of 9 ones, edges 6, the centre 9 (count_include_pad = true).
        double[] shares = {4 / 9., 6 / 9., 4 / 9., 6 / 9., 1, 6 / 9., 4 / 9., 6 / 9., 4 / 9.};
        assertClose(y, new int[] {1, 1, 3, 3}, shares, 1e-6, 1e-7);
        y.sum().backward();
        // Each element lies in as many windows as a corner (4), edge (6) or centre (9) has neighbours.
        assertClose(x.grad(), new int[] {1, 1, 3, 3}, shares, 1e-6, 1e-7);
    }

    @Test
    void unbatchedInputGivesAnUnbatchedOutput() {
        Tensor x = Tensor.randn(new Generator(3), 2, 6, 4);
        assertShape(new MaxPool2d(2).forward(x), 2, 3, 2);
        assertArrayEquals(new MaxPool2d(2).forward(x.unsqueeze(0)).toArray(), new MaxPool2d(2).forward(x).toArray());
        assertShape(new AvgPool2d(3, 1, 1).forward(x), 2, 6, 4);
    }

    @Test
    void printedFormsMatchPyTorchs() {
        assertEquals("MaxPool2d(kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False)",
                new MaxPool2d(2).toString());
        assertEquals("MaxPool2d(kernel_size=3, stride=1, padding=1, dilation=2, ceil_mode=False)",
                new MaxPool2d(3, 1, 1, 2).toString());
        assertEquals("AvgPool2d(kernel_size=2, stride=2, padding=0)", new AvgPool2d(2).toString());
        assertEquals("AvgPool2d(kernel_size=3, stride=2, padding=1)", new AvgPool2d(3, 2, 1).toString());
        assertEquals(0, new MaxPool2d(2).parameterCount());
    }

    @Test
    void newOptionsPrintAsPyTorchsReprs() {
        assertEquals("MaxPool2d(kernel_size=(2, 3), stride=(1, 2), padding=0, dilation=1, ceil_mode=True)",
                new MaxPool2d(new MaxPool2d.Spec(new Pair(2, 3)).stride(new Pair(1, 2)).ceilMode(true)).toString());
        assertEquals("MaxUnpool2d(kernel_size=(2, 2), stride=(2, 2), padding=(0, 0))", new MaxUnpool2d(2).toString());
        // PyTorch prints kernel, stride and padding only; Soma adds the other settings when not the defaults
        assertEquals("AvgPool2d(kernel_size=(3, 2), stride=(3, 2), padding=0, ceil_mode=True,"
                        + " count_include_pad=False, divisor_override=5)",
                new AvgPool2d(new AvgPool2d.Spec(new Pair(3, 2)).ceilMode(true).countIncludePad(false)
                        .divisorOverride(5)).toString());
    }

    /** The 3×4 image 0…11 pooled 2×2: maxima 5 and 7, at flat positions 5 and 7, as PyTorch gives them. */
    @Test
    void indicesAreFlatPositionsInTheInputPlane() {
        Tensor x = Tensor.arange(0, 24, 1).view(2, 3, 4);
        Tensor.ValuesAndIndices pooled = new MaxPool2d(2).forwardWithIndices(x);
        assertValues(pooled.values(), new int[] {2, 1, 2}, 5, 7, 17, 19);
        assertEquals(DType.INT64, pooled.indices().dtype());
        assertArrayEquals(new long[] {5, 7, 5, 7}, pooled.indices().toLongArray()); // each plane counts from 0
        Tensor.ValuesAndIndices ceil = new MaxPool2d(new MaxPool2d.Spec(2).ceilMode(true)).forwardWithIndices(x);
        assertArrayEquals(new int[] {2, 2, 2}, ceil.indices().shape());
        assertArrayEquals(new long[] {5, 7, 9, 11, 5, 7, 9, 11}, ceil.indices().toLongArray());
        Tensor back = new MaxUnpool2d(2).forward(ceil.values(), ceil.indices(), new int[] {3, 4});
        assertValues(back.select(0, 0), new int[] {3, 4}, 0, 0, 0, 0, 0, 5, 0, 7, 0, 9, 0, 11);
    }

    /** PyTorch's {@code stride=None} is the kernel size, in a spec as in PyTorch. */
    @Test
    void aNullStrideIsTheKernelSize() {
        java.util.Map<String, Object> fields = new java.util.HashMap<>();
        fields.put("kernel_size", java.util.List.of(2, 3));
        fields.put("stride", null);
        assertEquals(new MaxPool2d.Spec(new Pair(2, 3)), LayerRegistry.read("maxpool2d", new LayerArgs(fields)));
        assertEquals(new AvgPool2d.Spec(new Pair(2, 3)), LayerRegistry.read("avgpool2d", new LayerArgs(fields)));
    }

    @Test
    void optionErrorsNameTheOptionAndTheValue() {
        assertMessage("return_indices true does not fit a model spec, whose layers pass one tensor on; call"
                + " MaxPool2d.forwardWithIndices instead", () -> LayerRegistry.read("maxpool2d",
                new LayerArgs(java.util.Map.of("kernel_size", 2, "return_indices", true))));
        assertMessage("divisor_override must not be 0 (null for none)",
                () -> new AvgPool2d.Spec(2).divisorOverride(0));
        assertMessage("padding must be between 0 and half the kernel size ((1, 2)), got (2, 0)",
                () -> new MaxPool2d.Spec(new Pair(3, 4)).padding(new Pair(2, 0)));
        MaxUnpool2d unpool = new MaxUnpool2d(2);
        Tensor values = Tensor.ones(1, 1, 1, 2);
        assertMessage("maxUnpool2d: expected int64 indices, got float32",
                () -> unpool.forward(values, Tensor.of(new float[] {0, 4}, 1, 1, 1, 2)));
        assertMessage("maxUnpool2d: index 99 at 1 is not a position in an output plane of 2×4 (0 to 7)",
                () -> unpool.forward(values, Tensor.ofLongs(new long[] {0, 99}, 1, 1, 1, 2)));
        assertMessage("maxUnpool2d: invalid output_size [4, 4] (dim 0 must be between 0 and 4, exclusive)",
                () -> unpool.forward(values, Tensor.zeros(DType.INT64, 1, 1, 1, 2), new int[] {4, 4}));
        assertMessage("MaxUnpool2d(kernel_size=(2, 2), stride=(2, 2), padding=(0, 0)) needs the indices of the max"
                + " pooling: call forward(input, indices)", () -> unpool.forward(values));
    }

    private static void assertMessage(String expected, Executable call) {
        assertEquals(expected, assertThrows(IllegalArgumentException.class, call).getMessage());
    }

    @Test
    void errorsNameTheLayerAndTheValues() {
        assertMessage("MaxPool2d: padding must be between 0 and half the kernel size (1), got 2",
                () -> new MaxPool2d(2, 2, 2));
        assertMessage("AvgPool2d: kernel size and stride must be > 0, got kernel 0, stride 0",
                () -> new AvgPool2d(0));
        assertMessage("MaxPool2d: kernel size and stride must be > 0, got kernel 2, stride 0",
                () -> new MaxPool2d(2, 0, 0));
        assertMessage("MaxPool2d: dilation must be > 0, got 0", () -> new MaxPool2d(2, 2, 0, 0));
        assertMessage("MaxPool2d(kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False): expected input"
                + " [N, C, H, W] or [C, H, W], got [4, 4]", () -> new MaxPool2d(2).forward(Tensor.zeros(4, 4)));
        assertMessage("avgPool2d: the kernel 3 is larger than the padded input [1, 1, 2, 5] with padding 0",
                () -> new AvgPool2d(3).forward(Tensor.zeros(1, 1, 2, 5)));
        assertMessage("maxPool2d: expected input [N, C, H, W], got [2, 3, 4]",
                () -> MaxPool2d.maxPool2d(Tensor.zeros(2, 3, 4), 2, 2, 0, 1));
    }
}
