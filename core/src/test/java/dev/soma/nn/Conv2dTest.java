package dev.soma.nn;

import static dev.soma.testing.TensorAssertions.assertClose;
import static dev.soma.testing.TensorAssertions.assertShape;
import static dev.soma.testing.TensorAssertions.assertValues;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.soma.tensor.Generator;
import dev.soma.tensor.Tensor;
import dev.soma.testing.Ref;
import dev.soma.testing.RefConvolution;
import dev.soma.testing.TensorAssertions;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Conv2d's forward values against a direct 7-deep double loop, PyTorch's initialisation, names and
 * printed form, its errors, and the benchmark CNN end to end. Gradients are checked in
 * {@code GradientCheckConvolutionTest}.
 */
class Conv2dTest {

    private static Ref ref(Tensor t) {
        return new Ref(TensorAssertions.doubles(t), t.shape());
    }

    /** in, out, kernel, stride, padding, dilation, input shape. */
    static Stream<Arguments> settings() {
        return Stream.of(
                Arguments.of(1, 1, 1, 1, 0, 1, new int[] {1, 1, 1, 1}),
                Arguments.of(1, 16, 3, 1, 1, 1, new int[] {2, 1, 28, 28}),
                Arguments.of(3, 4, 3, 2, 1, 1, new int[] {2, 3, 9, 8}),
                Arguments.of(2, 5, 2, 1, 0, 2, new int[] {3, 2, 7, 6}),
                Arguments.of(4, 3, 5, 3, 2, 1, new int[] {1, 4, 11, 17}),
                Arguments.of(17, 2, 1, 1, 0, 1, new int[] {2, 17, 3, 4}),
                Arguments.of(2, 2, 3, 1, 3, 2, new int[] {1, 2, 2, 3}),
                // 12 images take two chunks of columns (6 + 6), and the products span GEMM blocks
                Arguments.of(16, 32, 3, 1, 1, 1, new int[] {12, 16, 14, 14}));
    }

    @ParameterizedTest(name = "Conv2d({0}, {1}, k={2}, s={3}, p={4}, d={5}) on {6}")
    @MethodSource("settings")
    void forwardMatchesADirectConvolution(int in, int out, int kernel, int stride, int padding, int dilation,
                                          int[] shape) {
        Conv2d conv = new Conv2d.Spec(in, out, kernel).stride(stride).padding(padding).dilation(dilation).build(new Generator(in * 7L + out));
        Tensor x = Tensor.randn(new Generator(5), shape);
        Ref expected = RefConvolution.conv2d(ref(x), ref(conv.weight()), ref(conv.bias()), stride, padding, dilation);
        assertClose(conv.forward(x), expected.shape(), expected.data(), 1e-5, 1e-5);

        Conv2d noBias = new Conv2d.Spec(in, out, kernel).stride(stride).padding(padding).dilation(dilation).bias(false).build(new Generator(3));
        Ref plain = RefConvolution.conv2d(ref(x), ref(noBias.weight()), null, stride, padding, dilation);
        assertClose(noBias.forward(x), plain.shape(), plain.data(), 1e-5, 1e-5);
    }

    @Test
    void anInputThatNeedsNoGradientGetsNoneAndChangesNoOtherGradient() {
        Conv2d conv = new Conv2d.Spec(3, 4, 3).padding(1).build(new Generator(11));
        Tensor images = Tensor.randn(new Generator(12), 2, 3, 6, 5);
        Tensor upstream = Tensor.randn(new Generator(13), 2, 4, 6, 5);
        conv.forward(images).mul(upstream).sum().backward();
        Tensor weightGrad = conv.weight().grad();
        Tensor biasGrad = conv.bias().grad();
        assertNull(images.grad());

        conv.zeroGrad();
        Tensor tracked = images.detach().requiresGrad(true);
        conv.forward(tracked).mul(upstream).sum().backward();
        assertNotNull(tracked.grad());
        assertArrayEquals(conv.weight().grad().toArray(), weightGrad.toArray());
        assertArrayEquals(conv.bias().grad().toArray(), biasGrad.toArray());
    }

    @Test
    void aBatchInSeveralChunksHasTheGradientsOfItsImagesTakenOneByOne() {
        // 12 images of [16, 14, 14] with a 3×3 kernel are unfolded in two chunks of 6 images.
        Conv2d conv = new Conv2d.Spec(16, 8, 3).padding(1).build(new Generator(21));
        Tensor images = Tensor.randn(new Generator(22), 12, 16, 14, 14).requiresGrad(true);
        Tensor upstream = Tensor.randn(new Generator(23), 12, 8, 14, 14);
        conv.forward(images).mul(upstream).sum().backward();
        Tensor batchWeightGrad = Tensor.of(conv.weight().grad().toArray(), 8, 16, 3, 3);
        Tensor batchBiasGrad = Tensor.of(conv.bias().grad().toArray(), 8);

        double[] weightGrad = new double[8 * 16 * 3 * 3];
        double[] biasGrad = new double[8];
        for (int n = 0; n < 12; n++) {
            conv.zeroGrad();
            Tensor image = images.detach().narrow(0, n, 1).contiguous().requiresGrad(true);
            conv.forward(image).mul(upstream.narrow(0, n, 1)).sum().backward();
            assertClose(images.grad().narrow(0, n, 1), new int[] {1, 16, 14, 14}, TensorAssertions.doubles(image.grad()),
                    1e-5, 1e-5);
            addTo(weightGrad, conv.weight().grad());
            addTo(biasGrad, conv.bias().grad());
        }
        assertClose(batchWeightGrad, new int[] {8, 16, 3, 3}, weightGrad, 1e-4, 1e-4);
        assertClose(batchBiasGrad, new int[] {8}, biasGrad, 1e-4, 1e-4);
    }

    private static void addTo(double[] sum, Tensor t) {
        float[] values = t.toArray();
        for (int i = 0; i < values.length; i++) {
            sum[i] += values[i];
        }
    }

    @Test
    void handComputedConvolution() {
        Conv2d conv = new Conv2d.Spec(1, 1, 2).build(new Generator(0));
        conv.loadStateDict(Map.of("weight", Tensor.of(new float[] {1, 0, 0, -1}, 1, 1, 2, 2),
                "bias", Tensor.vector(0.5f)));
        // Each output is x[y, x] − x[y+1, x+1] + 0.5; cross-correlation, so the kernel is not flipped.
        Tensor x = Tensor.of(new float[] {1, 2, 3, 4, 5, 6, 7, 8, 10}, 1, 1, 3, 3);
        assertValues(conv.forward(x), new int[] {1, 1, 2, 2}, -3.5f, -3.5f, -3.5f, -4.5f);
    }

    @Test
    void unbatchedInputGivesAnUnbatchedOutput() {
        Conv2d conv = new Conv2d.Spec(2, 3, 3).padding(1).build(new Generator(1));
        Tensor x = Tensor.randn(new Generator(2), 2, 5, 4);
        Tensor y = conv.forward(x);
        assertShape(y, 3, 5, 4);
        assertArrayEquals(conv.forward(x.unsqueeze(0)).toArray(), y.toArray());
    }

    @Test
    void initialisationIsPyTorchsKaimingUniformWithBoundOneOverRootFanIn() {
        Conv2d conv = new Conv2d.Spec(8, 64, 3).build(new Generator(4));
        double bound = 1 / Math.sqrt(8 * 3 * 3);
        float[] w = conv.weight().toArray();
        double sumSquares = 0;
        double max = 0;
        for (float v : w) {
            assertTrue(Math.abs(v) <= bound, v + " is outside ±" + bound);
            sumSquares += (double) v * v;
            max = Math.max(max, Math.abs(v));
        }
        // U(−b, b): variance b²/3, and Var(x²) = (1/5 − 1/9)·b⁴; five standard errors.
        double varianceError = Math.sqrt((1 / 5.0 - 1 / 9.0) / w.length) * bound * bound;
        assertEquals(bound * bound / 3, sumSquares / w.length, 5 * varianceError);
        assertTrue(max > 0.99 * bound, "the largest |w| " + max + " is not near " + bound);
        for (float v : conv.bias().toArray()) {
            assertTrue(Math.abs(v) <= bound, "bias " + v + " is outside ±" + bound);
        }
        Conv2d same = new Conv2d.Spec(8, 64, 3).build(new Generator(4));
        assertArrayEquals(w, same.weight().toArray(), "the same seed gives the same weights");
    }

    @Test
    void parametersHavePyTorchNamesShapesAndPrintedForm() {
        Conv2d conv = new Conv2d(1, 16, 3, 1, 1);
        assertEquals(List.of("weight", "bias"), List.copyOf(conv.stateDict().keySet()));
        assertShape(conv.weight(), 16, 1, 3, 3);
        assertShape(conv.bias(), 16);
        assertEquals(144 + 16, conv.parameterCount());
        assertEquals("Conv2d(1, 16, kernel_size=(3, 3), stride=(1, 1), padding=(1, 1))", conv.toString());
        assertEquals("Conv2d(3, 8, kernel_size=(5, 5), stride=(2, 2), padding=(1, 1), dilation=(2, 2), bias=False)",
                new Conv2d.Spec(3, 8, 5).stride(2).padding(1).dilation(2).bias(false).build(new Generator(0)).toString());
        assertEquals("Conv2d(2, 4, kernel_size=(1, 1), stride=(1, 1))", new Conv2d(2, 4, 1).toString());
        Conv2d noBias = new Conv2d.Spec(2, 4, 3).bias(false).build(new Generator(0));
        assertNull(noBias.bias());
        assertEquals(List.of("weight"), List.copyOf(noBias.stateDict().keySet()));
    }

    private static void assertMessage(String expected, Executable call) {
        assertEquals(expected, assertThrows(IllegalArgumentException.class, call).getMessage());
    }

    @Test
    void errorsNameTheLayerAndTheShapes() {
        Conv2d conv = new Conv2d.Spec(3, 4, 3).build(new Generator(0));
        assertMessage("Conv2d(3, 4, kernel_size=(3, 3), stride=(1, 1)): expected input [N, 3, H, W] or [3, H, W],"
                + " got [2, 2, 5, 5]", () -> conv.forward(Tensor.zeros(2, 2, 5, 5)));
        assertMessage("Conv2d(3, 4, kernel_size=(3, 3), stride=(1, 1)): expected input [N, 3, H, W] or [3, H, W],"
                + " got [3, 5]", () -> conv.forward(Tensor.zeros(3, 5)));
        assertMessage("unfold: the dilated kernel (3, 3) is larger than the padded input (2, 5) of input [1, 3, 2, 5]"
                        + " with kernel (3, 3), dilation (1, 1), padding (0, 0), stride (1, 1)",
                () -> conv.forward(Tensor.zeros(1, 3, 2, 5)));
        assertMessage("Conv2d: kernel size, stride and dilation must be > 0 and padding ≥ 0, got kernel 0, stride 1,"
                + " padding 0, dilation 1", () -> new Conv2d(3, 4, 0));
        assertMessage("kernel_size must be ≥ 1, got 0", () -> new Conv2d.Spec(3, 4, 0));
        assertMessage("padding must be ≥ 0, got -1", () -> new Conv2d.Spec(3, 4, 3).padding(-1));
        assertMessage("Conv2d: channels must be > 0, got in 0, out 4", () -> new Conv2d(0, 4, 3));
        assertThrows(IllegalArgumentException.class, () -> new Conv2d(3, 4, 3, 1, -1));
        assertMessage("conv2d: input [1, 2, 4, 4] and weight [3, 1, 2, 2] do not match: expected input [N, C, H, W]"
                        + " and weight [out, C, kh, kw]",
                () -> Conv2d.conv2d(Tensor.zeros(1, 2, 4, 4), Tensor.zeros(3, 1, 2, 2), null, 1, 0, 1));
    }

    // ---------------------------------------------------------------- the benchmark CNN

    /** The CNN of the benchmark workloads (bench/README.md), as PyTorch's nn.Sequential would hold it. */
    static Sequential benchmarkCnn(Generator generator) {
        return new Sequential(
                new Conv2d.Spec(1, 16, 3).padding(1).build(generator), new ReLU(), new MaxPool2d(2),
                new Conv2d.Spec(16, 32, 3).padding(1).build(generator), new ReLU(), new MaxPool2d(2),
                new Flatten(),
                new Linear(1568, 128, generator), new ReLU(),
                new Linear(128, 10, generator));
    }

    @Test
    void benchmarkCnnRunsForwardAndBackwardWithPyTorchsStateDictNames() {
        Sequential model = benchmarkCnn(new Generator(0));
        assertEquals(List.of("0.weight", "0.bias", "3.weight", "3.bias", "7.weight", "7.bias", "9.weight", "9.bias"),
                List.copyOf(model.stateDict().keySet()));
        assertEquals(16 * 9 + 16 + 32 * 16 * 9 + 32 + 1568 * 128 + 128 + 128 * 10 + 10, model.parameterCount());

        Tensor x = Tensor.randn(new Generator(1), 64, 1, 28, 28);
        Tensor target = Tensor.randint(new Generator(2), 0, 10, 64);
        Tensor logits = model.forward(x);
        assertShape(logits, 64, 10);
        Tensor loss = new CrossEntropyLoss().forward(logits, target);
        assertTrue(Math.abs(loss.item() - Math.log(10)) < 0.5, "initial loss " + loss.item() + " is not near ln 10");
        loss.backward();
        for (Map.Entry<String, Tensor> entry : model.namedParameters().entrySet()) {
            Tensor grad = entry.getValue().grad();
            assertNotNull(grad, entry.getKey());
            assertArrayEquals(entry.getValue().shape(), grad.shape(), entry.getKey());
            double norm = 0;
            for (float g : grad.toArray()) {
                assertTrue(Float.isFinite(g), entry.getKey() + " has a non-finite gradient");
                norm += g * g;
            }
            assertTrue(norm > 0, entry.getKey() + " received no gradient");
        }
    }
}
