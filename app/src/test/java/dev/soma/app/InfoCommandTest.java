package dev.soma.app;

import static dev.soma.app.CommandTesting.assertUserError;
import static dev.soma.app.CommandTesting.fieldNames;
import static dev.soma.app.CommandTesting.numbers;
import static dev.soma.app.CommandTesting.run;
import static dev.soma.app.CommandTesting.succeed;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.soma.app.CommandTesting.Run;
import dev.soma.io.ModelSpecJson;
import dev.soma.io.Safetensors;
import dev.soma.io.ModelFile;
import dev.soma.nn.AvgPool2d;
import dev.soma.nn.Flatten;
import dev.soma.nn.MaxPool2d;
import dev.soma.nn.ModelSpec;
import dev.soma.nn.Models;
import dev.soma.nn.Pair;
import dev.soma.tensor.Generator;
import dev.soma.tensor.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code soma info} end to end, in-process: a model saved by {@code soma train}, a plain file, a broken one. */
class InfoCommandTest {

    /** The mlp on 2-D points with 2 classes, tensor by tensor, in the order {@code soma train} saves them. */
    private static final Map<String, int[]> MLP_TENSORS = new LinkedHashMap<>();

    static {
        MLP_TENSORS.put("0.weight", new int[] {256, 2});
        MLP_TENSORS.put("0.bias", new int[] {256});
        MLP_TENSORS.put("2.weight", new int[] {128, 256});
        MLP_TENSORS.put("2.bias", new int[] {128});
        MLP_TENSORS.put("4.weight", new int[] {2, 128});
        MLP_TENSORS.put("4.bias", new int[] {2});
    }

    @TempDir
    static Path dir;

    static Path model;

    @BeforeAll
    static void train() {
        model = dir.resolve("xor.safetensors");
        succeed("train", "--data", "xor", "--samples", "100", "--epochs", "1", "--save", model.toString());
    }

    @Test
    void aSavedModelShowsItsArchitectureSizeMetadataAndTensors() {
        Run run = succeed("info", model.toString());
        List<String> lines = run.outLines();
        assertEquals(model.toString(), lines.get(0));
        assertEquals("Architecture (input [2]):", lines.get(1));
        assertTrue(run.out().contains("(0): Linear(in_features=2, out_features=256, bias=True)"), run.out());
        assertTrue(run.out().contains("(2): Linear(in_features=256, out_features=128, bias=True)"), run.out());
        assertTrue(run.out().contains("(4): Linear(in_features=128, out_features=2, bias=True)"), run.out());
        assertTrue(lines.contains("Parameters and buffers: 33,922 numbers in 6 tensors"), run.out());

        assertTrue(lines.contains("  soma.classes: [\"0\",\"1\"]"), run.out());
        String version = lines.stream().filter(l -> l.startsWith("  soma.version: ")).findFirst().orElseThrow();
        assertEquals("  soma.version: " + VersionInfo.version(), version);
        assertNotEquals("unknown", VersionInfo.version());
        assertTrue(lines.contains("  soma.data: xor"), run.out());
        assertFalse(run.out().contains("soma.spec"), "the spec is shown as the architecture:\n" + run.out());

        int tensors = lines.indexOf("Tensors:");
        assertTrue(tensors > 0, run.out());
        List<String> rows = lines.subList(tensors + 1, lines.size());
        assertEquals(MLP_TENSORS.size(), rows.size(), run.out());
        int i = 0;
        for (Map.Entry<String, int[]> tensor : MLP_TENSORS.entrySet()) {
            String[] cells = rows.get(i++).trim().split("\\s+", 3);
            List<String> expected = List.of(tensor.getKey(), "F32", Arrays.toString(tensor.getValue()));
            assertEquals(expected, List.of(cells), run.out());
        }
    }

    @Test
    void jsonHoldsTheSameFacts() throws Exception {
        JsonNode json = succeed("info", model.toString(), "--json").json();
        assertEquals(List.of("file", "parameters", "spec", "input", "metadata", "tensors"), fieldNames(json));
        JsonNode input = json.get("input");
        assertEquals("points", input.get("kind").textValue());
        assertEquals("xor", input.get("source").textValue());
        assertEquals("[\"x1\",\"x2\"]", input.get("features").toString());
        assertTrue(succeed("info", model.toString()).outLines().contains("Input: 2-D points, features x1, x2, trained on xor"));
        assertEquals(model.toString(), json.get("file").textValue());
        assertEquals(33_922, json.get("parameters").longValue());
        assertEquals(Models.named("mlp", new int[] {2}, 2), ModelSpecJson.fromJson(json.get("spec").toString()));
        JsonNode metadata = json.get("metadata");
        assertEquals("[\"0\",\"1\"]", metadata.get("soma.classes").textValue());
        assertEquals(VersionInfo.version(), metadata.get("soma.version").textValue());
        JsonNode tensors = json.get("tensors");
        assertEquals(MLP_TENSORS.size(), tensors.size());
        int i = 0;
        for (Map.Entry<String, int[]> tensor : MLP_TENSORS.entrySet()) {
            JsonNode entry = tensors.get(i++);
            assertEquals(List.of("name", "dtype", "shape"), fieldNames(entry));
            assertEquals(tensor.getKey(), entry.get("name").textValue());
            assertEquals("F32", entry.get("dtype").textValue());
            assertArrayEquals(Arrays.stream(tensor.getValue()).asDoubleStream().toArray(), numbers(entry.get("shape")));
        }
    }

    @Test
    void poolingOptionsAreShownInTheArchitectureAndTheSpec() throws Exception {
        Path file = dir.resolve("pools.safetensors");
        ModelSpec spec = new ModelSpec(new int[] {1, 7, 7}, List.of(
                new MaxPool2d.Spec(new Pair(2, 3)).stride(new Pair(2, 1)).ceilMode(true),
                new AvgPool2d.Spec(3, 2, 1).countIncludePad(false).divisorOverride(2),
                new Flatten.Spec(1, -1)));
        ModelFile.save(file, spec.build(new Generator(0)), spec, List.of(), Map.of());
        Run run = succeed("info", file.toString());
        assertTrue(run.out().contains("(0): MaxPool2d(kernel_size=(2, 3), stride=(2, 1), padding=0, dilation=1,"
                + " ceil_mode=True)"), run.out());
        assertTrue(run.out().contains("(1): AvgPool2d(kernel_size=3, stride=2, padding=1, count_include_pad=False,"
                + " divisor_override=2)"), run.out());
        JsonNode layers = succeed("info", file.toString(), "--json").json().get("spec").get("layers");
        assertEquals("{\"type\":\"maxpool2d\",\"kernel_size\":[2,3],\"stride\":[2,1],\"padding\":0,\"dilation\":1,"
                + "\"ceil_mode\":true}", layers.get(0).toString());
        assertEquals("{\"type\":\"avgpool2d\",\"kernel_size\":3,\"stride\":2,\"padding\":1,\"ceil_mode\":false,"
                + "\"count_include_pad\":false,\"divisor_override\":2}", layers.get(1).toString());
    }

    @Test
    void aPlainSafetensorsFileIsShownAndSaidToHaveNoArchitecture() throws Exception {
        Path file = dir.resolve("plain.safetensors");
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("embedding", Tensor.of(new float[12], 3, 4));
        tensors.put("scale", Tensor.of(new float[] {1, 2}, 2));
        Safetensors.write(file, tensors, Map.of("author", "test"));

        Run run = succeed("info", file.toString());
        assertTrue(run.out().contains("No Soma architecture in its metadata"), run.out());
        assertFalse(run.out().contains("Architecture"), run.out());
        assertTrue(run.outLines().contains("Parameters and buffers: 14 numbers in 2 tensors"), run.out());
        assertTrue(run.outLines().contains("  author: test"), run.out());
        String tensorLines = "(?s).*\\n  embedding\\s+F32\\s+\\[3, 4]\\n  scale\\s+F32\\s+\\[2]\\n";
        assertTrue(run.out().matches(tensorLines), run.out());

        JsonNode json = succeed("info", file.toString(), "--json").json();
        assertTrue(json.get("spec").isNull(), json.toString());
        assertEquals(14, json.get("parameters").longValue());
        assertEquals(2, json.get("tensors").size());
    }

    @Test
    void aCorruptFileIsOneClearLine() throws Exception {
        Path file = dir.resolve("corrupt.safetensors");
        Files.write(file, new byte[] {1, 2, 3});
        assertUserError(run("info", file.toString()), file.toString(), "not a safetensors file");
        byte[] whole = Files.readAllBytes(model);
        Path truncated = dir.resolve("truncated.safetensors");
        Files.write(truncated, Arrays.copyOf(whole, 200));
        assertUserError(run("info", truncated.toString()), truncated.toString());
    }

    @Test
    void aMissingFileIsNamed() {
        Path missing = dir.resolve("missing.safetensors");
        assertUserError(run("info", missing.toString()), "no such file", missing.toString());
    }
}
