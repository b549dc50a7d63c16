package dev.soma.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.soma.io.ModelFile;
import dev.soma.tensor.Generator;
import dev.soma.tensor.NoGrad;
import dev.soma.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17's layers as model files hold them, and what the PyTorch fixtures cannot show: the
 * random channel masks of Dropout2d, the initial weights, and the errors for settings PyTorch rejects.
 */
class NewLayersTest {

    @TempDir
    Path dir;

    @Test
    void everyNewLayerRoundTripsThroughAModelFile() throws IOException {
        Generator g = new Generator(17);
        Sequential images = new Sequential(
                new Conv2d.Spec(3, 4, new Pair(2, 3)).paddingSame().build(g),
                new Dropout2d(0.3f, g),
                new Conv2d.Spec(4, 4, 3).groups(4).padding(1).build(g),
                new ConvTranspose2d(new ConvTranspose2d.Spec(4, 2, Pair.of(3), Pair.of(2), Pair.of(1), Pair.of(1), 2,
                        true, Pair.of(1)), g),
                new AdaptiveAvgPool2d(new Pair(2, 4)),
                new Flatten(1, 2),
                new Conv1d(new Conv1d.Spec(4, 3, 3, 1, 0, true, 1, 1, true), g),
                new LayerNorm(new LayerNorm.Spec(List.of(3, 4), 1e-3f, true)),
                new Softplus(2, 5),
                new Flatten(),
                new Unflatten(1, 2, 6),
                new Linear(6, 2, g));
        roundTrip(images, new int[] {3, 5, 6}, Tensor.randn(g, 2, 3, 5, 6),
                "{\"type\":\"conv2d\",\"in_channels\":3,\"out_channels\":4,\"kernel_size\":[2,3],\"stride\":1,"
                        + "\"padding\":\"same\",\"dilation\":1,\"groups\":1,\"bias\":true}");

        Sequential tokens = new Sequential(new Embedding(new Embedding.Spec(10, 4, 0), g), new Flatten(), new Linear(20, 3, g));
        roundTrip(tokens, new int[] {5}, Tensor.ofLongs(new long[] {0, 3, 9, 3, 1, 2, 2, 0, 8, 7}, 2, 5),
                "{\"type\":\"embedding\",\"num_embeddings\":10,\"embedding_dim\":4,\"padding_idx\":0}");
    }

    private void roundTrip(Sequential model, int[] input, Tensor x, String layerJson) throws IOException {
        try (NoGrad scope = NoGrad.enter()) { // weights a fresh build would not have
            model.namedParameters().forEach((name, p) -> p.addInPlace(Tensor.randn(new Generator(3), p.shape()), 0.1f));
        }
        ModelSpec spec = ModelSpec.of(input, model);
        Path file = dir.resolve("model.safetensors");
        ModelFile.save(file, model, spec, List.of(), Map.of());
        ModelFile loaded = ModelFile.load(file);
        assertEquals(spec, loaded.spec());
        assertEquals(model.stateDict().keySet(), loaded.model().stateDict().keySet());
        model.eval();
        loaded.model().eval();
        assertArrayEquals(model.forward(x).toArray(), loaded.model().forward(x).toArray());
        assertTrue(loaded.metadata().get(ModelFile.SPEC_KEY).contains(layerJson), loaded.metadata().get(ModelFile.SPEC_KEY));
    }

    @Test
    void dropout2dZeroesWholeChannelsInTrainingOnly() {
        Dropout2d dropout = new Dropout2d(0.25f, new Generator(5));
        Tensor x = Tensor.ones(64, 32, 3, 3);
        float[] out = dropout.forward(x).toArray();
        int dropped = 0;
        for (int channel = 0; channel < 64 * 32; channel++) {
            float first = out[channel * 9];
            for (int i = 1; i < 9; i++) {
                assertEquals(first, out[channel * 9 + i], "channel " + channel + " is dropped or kept as a whole");
            }
            assertTrue(first == 0 || first == 1 / 0.75f, "kept channels are scaled by 1/(1 − p): " + first);
            dropped += first == 0 ? 1 : 0;
        }
        // 2048 channels, p = 0.25: 512 expected, standard deviation √(2048·0.25·0.75) ≈ 19.6
        assertTrue(Math.abs(dropped - 512) < 5 * 19.6, dropped + " channels dropped");
        dropout.eval();
        assertArrayEquals(x.toArray(), dropout.forward(x).toArray());
    }

    @Test
    void embeddingsPaddingRowStartsAtZeroAndLearnsNothing() {
        Embedding embedding = new Embedding(new Embedding.Spec(6, 3, -1), new Generator(2));
        assertEquals(5, embedding.spec().paddingIdx());
        assertArrayEquals(new float[3], embedding.weight().select(0, 5).toArray());
        embedding.forward(Tensor.ofLongs(new long[] {5, 1, 5}, 3)).sum().backward();
        assertArrayEquals(new float[3], embedding.weight().grad().select(0, 5).toArray());
        assertArrayEquals(new float[] {1, 1, 1}, embedding.weight().grad().select(0, 1).toArray());
    }

    @Test
    void settingsPyTorchRejectsAreRejectedByName() {
        assertMessage("in_channels (3) and out_channels (4) must be divisible by groups (2)",
                () -> new Conv2d.Spec(3, 4, 3).groups(2));
        assertMessage("padding \"same\" needs stride 1, got (2, 2)", () -> new Conv2d.Spec(3, 4, 3).paddingSame().stride(2));
        assertMessage("padding must be an integer, two integers, \"same\" or \"valid\", got \"full\"",
                () -> Conv2d.Spec.read(new LayerArgs(Map.of("in_channels", 1, "out_channels", 1, "kernel_size", 3,
                        "padding", "full"))));
        assertMessage("output_padding must be smaller than the stride or the dilation, got (1, 1) with stride (1, 1)"
                + " and dilation (1, 1)", () -> new ConvTranspose2d.Spec(1, 1, Pair.of(3), Pair.of(1), Pair.of(0),
                Pair.of(1), 1, true, Pair.of(1)));
        assertMessage("field 'kernel_size' must be an integer or an array of two integers, got an array of 3",
                () -> Conv2d.Spec.read(new LayerArgs(Map.of("in_channels", 1, "out_channels", 1, "kernel_size",
                        List.of(1, 2, 3)))));
        assertMessage("unflattened_size [2, 4] holds 8 elements, but dim 1 has 6 (the input gives [6])",
                () -> new Unflatten.Spec(1, List.of(2, 4)).outputShape(new int[] {6}, "the input gives"));
        assertMessage("expects samples ending in [4], the input gives [3, 5]",
                () -> new LayerNorm.Spec(4).outputShape(new int[] {3, 5}, "the input gives"));
    }

    private static void assertMessage(String expected, org.junit.jupiter.api.function.Executable action) {
        assertEquals(expected, assertThrows(IllegalArgumentException.class, action).getMessage());
    }
}
