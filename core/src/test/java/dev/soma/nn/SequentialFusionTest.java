package dev.soma.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.soma.tensor.Generator;
import dev.soma.tensor.Ops;
import dev.soma.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * Sequential runs Conv2d → ReLU (→ MaxPool2d(2)) as one fused op: its output and every gradient must
 * be the same floats as the layers called one by one (the unfused ops), in batches that span several
 * of the op's chunks, and runs that are not exactly such layers must not be fused.
 */
class SequentialFusionTest {

    /** A model's output for {@code x} and, after backward of {@code Σ out ⊙ upstream}, every gradient. */
    private static List<float[]> run(Sequential model, boolean fused, Tensor input, long seed) {
        model.zeroGrad();
        Tensor x = input.detach().requiresGrad(true);
        Tensor out = x;
        if (fused) {
            out = model.forward(x);
        } else {
            for (int i = 0; i < model.size(); i++) {
                out = model.get(i).forward(out);
            }
        }
        out.mul(Tensor.randn(new Generator(seed), out.shape())).sum().backward();
        List<float[]> results = new ArrayList<>(List.of(out.toArray(), x.grad().toArray()));
        for (Tensor p : model.parameters()) {
            results.add(p.grad().toArray());
        }
        return results;
    }

    private static void assertSameFloats(Sequential model, int... inputShape) {
        Tensor input = Tensor.randn(new Generator(5), inputShape);
        List<float[]> fused = run(model, true, input, 6);
        List<float[]> layers = run(model, false, input, 6);
        assertEquals(layers.size(), fused.size());
        for (int i = 0; i < fused.size(); i++) {
            assertArrayEquals(layers.get(i), fused.get(i), "result " + i + " (output, input gradient, parameters)");
        }
    }

    static Stream<Arguments> blocks() {
        return Stream.of(
                // the reference CNN's two blocks; 40 images of 28×28 take two chunks of the first
                Arguments.of(new Sequential(new Conv2d.Spec(1, 16, 3).padding(1).build(new Generator(1)), new ReLU(),
                        new MaxPool2d(2), new Conv2d.Spec(16, 32, 3).padding(1).build(new Generator(2)), new ReLU(),
                        new MaxPool2d(2)), new int[] {40, 1, 28, 28}),
                // odd output sizes (9×7 pools to 4×3), a stride, no bias
                Arguments.of(new Sequential(new Conv2d.Spec(3, 5, 3).stride(2).padding(1).bias(false).build(new Generator(3)), new ReLU(),
                        new MaxPool2d(2)), new int[] {3, 3, 17, 13}),
                // relu without pooling, then a pooling that is not 2×2 (not fused)
                Arguments.of(new Sequential(new Conv2d.Spec(2, 4, 2).dilation(2).build(new Generator(4)), new ReLU(),
                        new MaxPool2d(3, 1, 1)), new int[] {12, 2, 9, 8}),
                // a 1×1 output with relu only
                Arguments.of(new Sequential(new Conv2d.Spec(4, 3, 3).build(new Generator(5)), new ReLU()),
                        new int[] {2, 4, 3, 3}));
    }

    @ParameterizedTest
    @MethodSource("blocks")
    void fusedBlocksGiveTheLayersOwnFloats(Sequential model, int[] inputShape) {
        assertSameFloats(model, inputShape);
    }

    @Test
    void theBlocksOfTheReferenceCnnRunAsOneOpEach() {
        // the same floats would also come from the layers one by one: this checks that they do not
        try (var scope = Ops.use(Ops.Form.FUSED)) { // the composed form runs the three ops
            Sequential pooled = new Sequential(new Conv2d.Spec(1, 2, 3).padding(1).build(new Generator(11)), new ReLU(),
                    new MaxPool2d(2));
            Sequential relu = new Sequential(new Conv2d.Spec(1, 2, 3).padding(1).build(new Generator(11)), new ReLU(),
                    new MaxPool2d(3, 2, 1));
            Tensor x = Tensor.randn(new Generator(12), 2, 1, 6, 6).requiresGrad(true);
            assertEquals("conv2d+RELU_MAX_POOL_2", pooled.forward(x).gradFnName());
            assertEquals("maxPool2d", relu.forward(x).gradFnName());
            assertEquals("conv2d+RELU", new Sequential(relu.get(0), relu.get(1)).forward(x).gradFnName());
        }
    }

    @Test
    void aSubclassOfReluIsCalledNotFused() {
        ReLU doubled = new ReLU() {
            @Override
            public Tensor forward(Tensor input) {
                return super.forward(input).mul(2f);
            }
        };
        Conv2d conv = new Conv2d.Spec(1, 2, 3).padding(1).build(new Generator(7));
        Tensor x = Tensor.randn(new Generator(8), 2, 1, 6, 6);
        Tensor expected = new MaxPool2d(2).forward(conv.forward(x).relu().mul(2f));
        assertArrayEquals(expected.toArray(), new Sequential(conv, doubled, new MaxPool2d(2)).forward(x).toArray());
    }

    @Test
    void anUnbatchedInputTakesTheLayersOneByOne() {
        Sequential model = new Sequential(new Conv2d.Spec(1, 2, 3).padding(1).build(new Generator(9)), new ReLU(),
                new MaxPool2d(2));
        Tensor image = Tensor.randn(new Generator(10), 1, 6, 6);
        assertArrayEquals(new int[] {2, 3, 3}, model.forward(image).shape());
        assertArrayEquals(model.forward(image.unsqueeze(0)).toArray(), model.forward(image).toArray());
    }

    @Test
    void anOutputTooSmallToPoolIsAnError() {
        Tensor weight = Tensor.ones(2, 1, 3, 3);
        var error = assertThrows(IllegalArgumentException.class,
                () -> Tensor.ones(1, 1, 3, 3).conv2dRelu(weight, null, 1, 0, 1, true));
        assertEquals("conv2d: its output [1, 2, 1, 1] is smaller than the 2×2 window of the max pooling after it",
                error.getMessage());
    }
}
