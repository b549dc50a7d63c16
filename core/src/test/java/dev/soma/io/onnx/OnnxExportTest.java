package dev.soma.io.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.soma.data.Background;
import dev.soma.io.ModelFile;
import dev.soma.io.Preprocessing;
import dev.soma.nn.Identity;
import dev.soma.nn.LayerSpec;
import dev.soma.nn.Linear;
import dev.soma.nn.ModelSpec;
import dev.soma.nn.Models;
import dev.soma.nn.Module;
import dev.soma.nn.ReLU;
import dev.soma.tensor.Generator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@link OnnxExport} refuses and promises without running the file (OnnxRuntimeTest runs it). */
class OnnxExportTest {

    @TempDir
    Path folder;

    /** A layer type Soma's export does not know: a user's own, as CustomLayerTest registers. */
    private record Shift() implements LayerSpec {
        @Override
        public String type() {
            return "shift";
        }

        @Override
        public Module build(Generator generator) {
            return new Identity();
        }
    }

    @Test
    void aLayerWithNoOnnxFormIsRefusedByIndexAndType() {
        ModelSpec spec = new ModelSpec(new int[] {2}, List.of(new Linear.Spec(2, 3), ReLU.SPEC, new Shift()));
        var e = assertThrows(IllegalArgumentException.class, () -> OnnxExport.toBytes(spec.build(new Generator(0)),
                spec, Preprocessing.points("xor", List.of(dev.soma.data.PointFeature.X1, dev.soma.data.PointFeature.X2))));
        assertTrue(e.getMessage().startsWith("layer 2 (shift): the layer type 'shift' has no ONNX form; ONNX export"
                + " supports linear, conv2d,"), e.getMessage());
    }

    @Test
    void preprocessingThatDoesNotFitTheModelIsRefused() {
        ModelSpec spec = Models.forMnist("mlp");
        var e = assertThrows(IllegalArgumentException.class, () -> OnnxExport.toBytes(spec.build(new Generator(0)),
                spec, Preprocessing.images("x", 3, 28, 28, Background.DARK)));
        assertEquals("images of 3 × 28 × 28 do not fit the model's input [1, 28, 28]", e.getMessage());
    }

    @Test
    void theSameModelGivesTheSameBytes() {
        ModelSpec spec = Models.forMnist("cnn");
        Preprocessing input = Preprocessing.images("fashion-mnist", 1, 28, 28, Background.DARK);
        byte[] first = OnnxExport.toBytes(spec.build(new Generator(3)), spec, input);
        assertArrayEquals(first, OnnxExport.toBytes(spec.build(new Generator(3)), spec, input));
        assertFalse(java.util.Arrays.equals(first, OnnxExport.toBytes(spec.build(new Generator(4)), spec, input)));
    }

    @Test
    void aModelFileIsWrittenWithItsSummary() throws IOException {
        ModelSpec spec = Models.forMnist("mlp");
        Path model = folder.resolve("mlp.safetensors");
        ModelFile.save(model, spec.build(new Generator(0)), spec, dev.soma.data.Mnist.FASHION_CLASSES, Map.of());
        Path onnx = folder.resolve("out/mlp.onnx");
        OnnxExport.Summary summary = OnnxExport.write(ModelFile.load(model), onnx);
        assertEquals("pixels", summary.input());
        assertArrayEquals(new int[] {1, 28, 28}, summary.inputShape());
        assertEquals("output", summary.output());
        assertArrayEquals(new int[] {10}, summary.outputShape());
        // 784·256 + 256 + 256·128 + 128 + 128·10 + 10 weights, each 4 bytes, and a few kB of graph.
        assertEquals(235_146, summary.weights());
        assertEquals(Files.size(onnx), summary.bytes());
        assertTrue(summary.bytes() > 4 * 235_146 && summary.bytes() < 4 * 235_146 + 4096, "" + summary.bytes());
        // Reshape (flatten), three Gemm, two Relu, and the Identity naming the output.
        assertEquals(7, summary.nodes());
        assertTrue(new String(Files.readAllBytes(onnx), java.nio.charset.StandardCharsets.ISO_8859_1)
                .contains("[\"T-shirt/top\",\"Trouser\""), "soma.classes in the metadata");
    }
}
