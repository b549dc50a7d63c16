package dev.soma.app;

import static dev.soma.app.CommandTesting.assertUsageError;
import static dev.soma.app.CommandTesting.assertUserError;
import static dev.soma.app.CommandTesting.fieldNames;
import static dev.soma.app.CommandTesting.run;
import static dev.soma.app.CommandTesting.succeed;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.soma.app.CommandTesting.Run;
import dev.soma.data.Mnist;
import dev.soma.io.ModelFile;
import dev.soma.nn.LayerRegistry;
import dev.soma.nn.LayerSpec;
import dev.soma.nn.Linear;
import dev.soma.nn.ModelSpec;
import dev.soma.nn.Models;
import dev.soma.nn.Module;
import dev.soma.nn.ReLU;
import dev.soma.tensor.Generator;
import dev.soma.tensor.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code soma export} end to end, in-process: what it writes and says, and a user's mistakes. That
 * the file computes what Soma computes is {@code OnnxRuntimeTest}'s (core), in onnxruntime.
 */
class ExportCommandTest {

    @TempDir
    Path dir;

    @Test
    void aCnnFileBecomesAnOnnxFileOfPixelsToClassScores() throws Exception {
        Path model = dir.resolve("cnn.safetensors");
        ModelSpec spec = Models.forMnist("cnn");
        ModelFile.save(model, spec.build(new Generator(0)), spec, Mnist.FASHION_CLASSES, Map.of());
        Path onnx = dir.resolve("cnn.onnx");
        Run run = succeed("export", model.toString(), "--onnx", onnx.toString(), "--json");
        List<String> lines = run.outLines();
        assertTrue(lines.get(0).startsWith("Wrote " + onnx + ": ONNX opset 17, "), run.out());
        assertEquals("  input  pixels [N, 1, 28, 28], floats in [0, 1] (pixel / 255)", lines.get(1));
        assertEquals("  output output [N, 10], one score per class (soma.classes in the metadata)", lines.get(2));
        JsonNode json = run.json();
        assertEquals(List.of("file", "onnx", "opset", "input", "output", "operators", "weights", "bytes"),
                fieldNames(json));
        assertEquals(17, json.get("opset").asInt());
        assertEquals("[\"N\",1,28,28]", json.get("input").get("shape").toString());
        assertEquals("output", json.get("output").get("name").asText());
        assertEquals(Files.size(onnx), json.get("bytes").asLong());
        // conv 16·9 + 16, conv 32·16·9 + 32, linear 1568·128 + 128, linear 128·10 + 10
        assertEquals(160 + 4640 + 200_832 + 1290, json.get("weights").asLong());
    }

    @Test
    void aPointModelTakesPoints() {
        Path model = dir.resolve("xor.safetensors");
        succeed("train", "--data", "xor", "--samples", "40", "--epochs", "1", "--save", model.toString());
        Run run = succeed("export", model.toString(), "--onnx", dir.resolve("xor.onnx").toString());
        assertEquals("  input  points [N, 2], (x1, x2)", run.outLines().get(1));
    }

    @Test
    void aMissingModelFileIsOneLine() {
        Path missing = dir.resolve("none.safetensors");
        Run run = run("export", missing.toString(), "--onnx", dir.resolve("m.onnx").toString());
        assertUserError(run, "no such file or directory: " + missing);
        assertFalse(Files.exists(dir.resolve("m.onnx")));
    }

    @Test
    void anUnwritableDestinationFailsBeforeAnyWork() throws Exception {
        Path file = Files.writeString(dir.resolve("not-a-folder"), "x");
        assertUsageError(run("export", dir.resolve("none.safetensors").toString(), "--onnx",
                file.resolve("m.onnx").toString()), "export", "--onnx: cannot make the folder of", "is a file, not a folder");
        assertUsageError(run("export", "m.safetensors", "--onnx", dir.toString()), "export",
                "--onnx: '" + dir + "' is a folder, not a file");
        assertUsageError(run("export", "m.safetensors"), "export", "--onnx");
    }

    @Test
    void theModelFileItselfIsRefusedAsTheDestination() throws Exception {
        Path model = dir.resolve("xor.safetensors");
        ModelSpec spec = new ModelSpec(new int[] {2}, List.of(new Linear.Spec(2, 2)));
        ModelFile.save(model, spec.build(new Generator(0)), spec, List.of(), Map.of());
        byte[] before = Files.readAllBytes(model);
        Path same = dir.resolve("sub/../xor.safetensors");
        Files.createDirectories(dir.resolve("sub"));
        assertUsageError(run("export", model.toString(), "--onnx", same.toString()), "export",
                "--onnx: '" + same + "' is the model file itself; name another file");
        assertArrayEquals(before, Files.readAllBytes(model), "the model is untouched");
    }

    /** A layer type registered by a user, which model files hold but ONNX export does not know. */
    private record Shift() implements LayerSpec {
        @Override
        public String type() {
            return "export_test_shift";
        }

        @Override
        public Module build(Generator generator) {
            return new Module() {
                @Override
                public Tensor forward(Tensor input) {
                    return input.add(1);
                }

                @Override
                public LayerSpec spec() {
                    return new Shift();
                }
            };
        }
    }

    @Test
    void aLayerWithNoOnnxFormIsNamed() throws Exception {
        LayerRegistry.register("export_test_shift", args -> new Shift());
        ModelSpec spec = new ModelSpec(new int[] {2}, List.of(new Linear.Spec(2, 3), ReLU.SPEC, new Shift()));
        Path model = dir.resolve("shift.safetensors");
        ModelFile.save(model, spec.build(new Generator(0)), spec, List.of(), Map.of());
        Path onnx = dir.resolve("shift.onnx");
        assertUserError(run("export", model.toString(), "--onnx", onnx.toString()),
                "soma: cannot export " + model + " to ONNX: layer 2 (export_test_shift): the layer type"
                        + " 'export_test_shift' has no ONNX form; ONNX export supports linear, conv2d");
        assertFalse(Files.exists(onnx));
    }
}
