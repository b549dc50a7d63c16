package dev.soma.io.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.soma.data.Background;
import dev.soma.data.ImageDataset;
import dev.soma.data.Mnist;
import dev.soma.data.PointFeature;
import dev.soma.io.Preprocessing;
import dev.soma.nn.AdaptiveAvgPool2d;
import dev.soma.nn.AvgPool2d;
import dev.soma.nn.BatchNorm1d;
import dev.soma.nn.BatchNorm2d;
import dev.soma.nn.Conv1d;
import dev.soma.nn.Conv2d;
import dev.soma.nn.ConvTranspose2d;
import dev.soma.nn.Dropout;
import dev.soma.nn.Dropout2d;
import dev.soma.nn.Embedding;
import dev.soma.nn.Flatten;
import dev.soma.nn.GELU;
import dev.soma.nn.Identity;
import dev.soma.nn.LayerNorm;
import dev.soma.nn.LayerSpec;
import dev.soma.nn.LeakyReLU;
import dev.soma.nn.Linear;
import dev.soma.nn.LogSoftmax;
import dev.soma.nn.MaxPool2d;
import dev.soma.nn.ModelSpec;
import dev.soma.nn.Models;
import dev.soma.nn.Module;
import dev.soma.nn.Pair;
import dev.soma.nn.ReLU;
import dev.soma.nn.Sigmoid;
import dev.soma.nn.Softmax;
import dev.soma.nn.Softplus;
import dev.soma.nn.Tanh;
import dev.soma.nn.Unflatten;
import dev.soma.tensor.Generator;
import dev.soma.tensor.NoGrad;
import dev.soma.tensor.Tensor;
import dev.soma.testing.Installed;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The acceptance of ONNX export: Soma's models exported by {@link OnnxExport} and run in
 * onnxruntime give Soma's outputs to 1e-5, on the first 16 Fashion-MNIST test pictures fed as a decoder
 * gives them ({@code pixel / 255}): the built-in MLP and CNN, a model with every image layer (and a
 * recorded normalisation), an embedding model on the raw pixel values, and a point model with every
 * feature. Each file also passes {@code onnx.checker.check_model} (full check).
 *
 * <p>Python runs {@code core/src/test/python/onnx_run.py} in the virtual environment of
 * {@code scripts/onnx-venv} (onnxruntime 1.30, onnx 1.23 from PyPI; Debian's python3-venv), made by
 * that script when absent. Skipped without it, unless {@code SOMA_REQUIRE} names {@code onnxruntime}
 * (as {@code .ci/run} does after making it); likewise for {@code dataset-fashion-mnist}.
 */
class OnnxRuntimeTest {

    private static final Path FASHION_MNIST = Path.of("/usr/share/datasets/fashion-mnist");
    private static final Path SCRIPT = Path.of("src/test/python/onnx_run.py");
    private static final int IMAGES = 16;
    /** |onnxruntime − Soma| ≤ TOLERANCE · max(1, |Soma|). */
    private static final double TOLERANCE = 1e-5;

    @TempDir
    static Path folder;

    private record Case(String name, float[] input, int[] shape, float[] soma, int[] somaShape, JsonNode graph,
            float[] onnx) {
    }

    private static final Map<String, Case> CASES = new LinkedHashMap<>();

    @BeforeAll
    @Timeout(value = 10, unit = TimeUnit.MINUTES) // the first run makes the venv: pip downloads once
    static void runEveryModelInOnnxruntime() throws Exception {
        Installed.assume("dataset-fashion-mnist", Files.isDirectory(FASHION_MNIST), "no folder " + FASHION_MNIST);
        Path python = venv();
        ImageDataset test = Mnist.fashionMnist(FASHION_MNIST, Mnist.Split.TEST);
        Generator g = new Generator(17);
        Map<String, float[]> pixels = new LinkedHashMap<>();
        float[] unit = new float[IMAGES * 784];
        float[] raw = new float[IMAGES * 784];
        for (int i = 0; i < IMAGES; i++) {
            byte[] image = test.image(i);
            for (int p = 0; p < 784; p++) {
                raw[i * 784 + p] = Byte.toUnsignedInt(image[p]);
                unit[i * 784 + p] = Byte.toUnsignedInt(image[p]) / 255f;
            }
        }
        pixels.put("unit", unit);
        Preprocessing plain = Preprocessing.images("fashion-mnist", 1, 28, 28, Background.DARK);
        Preprocessing normalised = new Preprocessing(Preprocessing.Kind.IMAGES, "fashion-mnist", 1, 28, 28, 255,
                List.of(0.2860), List.of(0.3530), Background.DARK, List.of());
        Preprocessing vector = new Preprocessing(Preprocessing.Kind.VECTOR, null, 0, 0, 0, 0, List.of(), List.of(),
                null, List.of());
        Preprocessing points = Preprocessing.points("spiral", List.of(PointFeature.values()));

        List<String> job = new ArrayList<>();
        prepare("mlp", Models.forMnist("mlp"), plain, images(test, plain), unit, new int[] {IMAGES, 1, 28, 28}, g, job);
        prepare("cnn", Models.forMnist("cnn"), plain, images(test, plain), unit, new int[] {IMAGES, 1, 28, 28}, g, job);
        prepare("every-layer", everyLayer(), normalised, images(test, normalised), unit,
                new int[] {IMAGES, 1, 28, 28}, g, job);
        long[] indices = new long[raw.length];
        for (int i = 0; i < raw.length; i++) {
            indices[i] = (long) raw[i];
        }
        prepare("embedding", embedding(), vector, Tensor.ofLongs(indices, IMAGES, 784), null,
                new int[] {IMAGES, 784}, g, job);
        float[] xy = Tensor.rand(g, IMAGES, 2).mul(12).sub(6).toArray();
        float[][] rows = new float[IMAGES][];
        for (int i = 0; i < IMAGES; i++) {
            rows[i] = new float[] {xy[2 * i], xy[2 * i + 1]};
        }
        prepare("points", new ModelSpec(new int[] {7}, List.of(new Linear.Spec(7, 8), Tanh.SPEC,
                new Linear.Spec(8, 3), new LogSoftmax.Spec(1))), points, points.points(rows), xy,
                new int[] {IMAGES, 2}, g, job);

        Path jobFile = folder.resolve("job.json");
        Files.writeString(jobFile, "{\"models\": [" + String.join(", ", job) + "]}");
        Process process = new ProcessBuilder(python.toString(), SCRIPT.toString(), jobFile.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(process.getInputStream().readAllBytes());
        assertEquals(0, process.waitFor(), "onnx_run.py failed; its stdout:\n" + out);
        ObjectMapper mapper = new ObjectMapper();
        List<String> lines = out.lines().toList();
        assertEquals(CASES.size(), lines.size(), out);
        int i = 0;
        for (Case c : new ArrayList<>(CASES.values())) {
            JsonNode graph = mapper.readTree(lines.get(i++));
            CASES.put(c.name(), new Case(c.name(), c.input(), c.shape(), c.soma(), c.somaShape(), graph,
                    readFloats(folder.resolve(c.name() + ".out"))));
        }
    }

    @Test
    void theMlpGivesSomasLogits() {
        assertSameOutputs("mlp");
    }

    @Test
    void theCnnGivesSomasLogits() {
        assertSameOutputs("cnn");
    }

    @Test
    void everyImageLayerAndTheRecordedNormalisationGiveSomasOutputs() {
        Case c = assertSameOutputs("every-layer");
        List<String> ops = new ArrayList<>();
        c.graph().get("ops").forEach(op -> ops.add(op.asText()));
        assertEquals(List.of("Sub", "Div", "Conv"), ops.subList(0, 3), "normalisation first: " + ops);
        for (String op : List.of("Pad", "ConvTranspose", "BatchNormalization", "LayerNormalization", "MaxPool",
                "AveragePool", "Erf", "LeakyRelu", "Reshape", "Gemm", "MatMul", "Sigmoid", "Tanh", "Relu")) {
            assertTrue(ops.contains(op), op + " in " + ops);
        }
    }

    @Test
    void anEmbeddingOfRawPixelValuesGivesSomasOutputs() {
        Case c = assertSameOutputs("embedding");
        assertEquals(7, c.graph().get("inputs").get(0).get("elem_type").asInt()); // int64 indices, as Soma takes
        assertEquals("\"Gather\"", c.graph().get("ops").get(0).toString());
    }

    @Test
    void pointFeaturesAreComputedInTheGraph() {
        Case c = assertSameOutputs("points");
        assertEquals("points", c.graph().get("inputs").get(0).get("name").asText());
        assertEquals("[\"N\",2]", c.graph().get("inputs").get(0).get("dims").toString());
    }

    @Test
    void theGraphDeclaresItsInterfaceOpsetAndMetadata() {
        JsonNode graph = CASES.get("cnn").graph();
        assertEquals(OnnxExport.IR_VERSION, graph.get("ir_version").asInt());
        assertEquals("[[\"\",17]]", graph.get("opset").toString());
        assertEquals("soma", graph.get("producer").asText());
        JsonNode input = graph.get("inputs").get(0);
        assertEquals("pixels", input.get("name").asText());
        assertEquals("[\"N\",1,28,28]", input.get("dims").toString());
        assertEquals(1, input.get("elem_type").asInt()); // float
        assertEquals("[{\"name\":\"output\",\"dims\":[\"N\",10]}]", graph.get("outputs").toString());
        assertEquals("[16,1,3,3]", graph.get("initializers").get("0.weight").toString());
        assertEquals("[10]", graph.get("initializers").get("9.bias").toString());
        assertTrue(graph.get("metadata").get("soma.spec").asText().contains("\"conv2d\""), graph.toString());
        assertTrue(graph.get("metadata").get("soma.input").asText().contains("\"images\""), graph.toString());
    }

    /** Exports {@code spec}'s model (weights from g), runs Soma on {@code somaInput}, and adds a job entry. */
    private static void prepare(String name, ModelSpec spec, Preprocessing input, Tensor somaInput, float[] onnxInput,
            int[] onnxShape, Generator g, List<String> job) throws IOException {
        Module model = spec.build(g);
        perturbStatistics(model, g);
        model.eval();
        Tensor soma;
        try (var scope = NoGrad.enter()) {
            soma = model.forward(somaInput);
        }
        Path onnx = folder.resolve(name + ".onnx");
        OnnxExport.write(model, spec, input, onnx);
        Path in = folder.resolve(name + ".in");
        if (onnxInput != null) {
            writeFloats(in, onnxInput);
        } else {
            writeLongs(in, somaInput.toLongArray());
        }
        job.add("{\"model\": \"" + onnx + "\", \"input\": \"" + in + "\", \"dtype\": \""
                + (onnxInput != null ? "<f4" : "<i8") + "\", \"shape\": " + java.util.Arrays.toString(onnxShape)
                + ", \"output\": \"" + folder.resolve(name + ".out") + "\"}");
        CASES.put(name, new Case(name, onnxInput, onnxShape, soma.toArray(), soma.shape(), null, null));
    }

    /**
     * Running statistics and normalisation parameters away from their initial 0 and 1, so that a
     * mix-up of mean, variance, scale and shift shows.
     */
    private static void perturbStatistics(Module model, Generator g) {
        try (var scope = NoGrad.enter()) {
            model.stateDict().forEach((name, tensor) -> {
                if (name.endsWith("running_var")) {
                    tensor.fillUniform(0.5f, 1.5f, g);
                } else if (name.endsWith("running_mean")) {
                    tensor.fillNormal(0, 0.3f, g);
                } else if (!name.endsWith("num_batches_tracked")) {
                    tensor.addInPlace(Tensor.randn(g, tensor.shape()), 0.05f);
                }
            });
        }
    }

    private static Case assertSameOutputs(String name) {
        Case c = CASES.get(name);
        int[] shape = new int[c.graph().get("shape").size()];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = c.graph().get("shape").get(i).asInt();
        }
        assertArrayEquals(c.somaShape(), shape, name + ": output shape");
        assertEquals(c.soma().length, c.onnx().length, name);
        double worst = 0;
        for (int i = 0; i < c.soma().length; i++) {
            double error = Math.abs(c.onnx()[i] - c.soma()[i]) / Math.max(1, Math.abs(c.soma()[i]));
            worst = Math.max(worst, error);
        }
        assertTrue(worst <= TOLERANCE, name + ": onnxruntime differs from Soma by " + worst + " (relative)");
        return c;
    }

    /** Conv2d with every option, BatchNorm2d, GELU, …: each image layer of model files, in one network. */
    private static ModelSpec everyLayer() {
        List<LayerSpec> layers = List.of(
                new Conv2d.Spec(1, 4, new Pair(3, 5)).stride(new Pair(1, 2)).padding(new Pair(1, 2)), // [4, 28, 14]
                new BatchNorm2d.Spec(4),
                GELU.SPEC,
                new Conv2d.Spec(4, 8, new Pair(2, 3)).paddingSame().groups(4).dilation(new Pair(1, 2)), // [8, 28, 14]
                new LeakyReLU.Spec(0.1f),
                new Dropout2d.Spec(0.3f),
                new MaxPool2d.Spec(Pair.of(3), Pair.of(2), Pair.of(1), Pair.of(1), true),             // [8, 15, 8]
                new ConvTranspose2d.Spec(8, 4, Pair.of(3), Pair.of(2), Pair.of(1), Pair.of(1), 2, true,
                        Pair.of(1)),                                                                  // [4, 30, 16]
                new Softplus.Spec(2f, 5f),
                new AvgPool2d.Spec(new Pair(3, 2), Pair.of(2), Pair.of(1), true, false, null),       // [4, 16, 9]
                new AvgPool2d.Spec(Pair.of(2), Pair.of(1), Pair.of(1), false, true, 3),              // [4, 17, 10]
                new AvgPool2d.Spec(3, 2, 1),                                                          // [4, 9, 5]
                new MaxPool2d.Spec(2, 1, 1, 2),                                                       // [4, 9, 5]
                new MaxPool2d.Spec(Pair.of(2), Pair.of(3), Pair.of(1), Pair.of(2), true),             // [4, 4, 2]
                new AdaptiveAvgPool2d.Spec(new Pair(5, 3)),                                           // [4, 5, 3]
                new Flatten.Spec(1, -1),                                                              // [60]
                new Unflatten.Spec(1, List.of(4, 15)),                                                // [4, 15]
                new Conv1d.Spec(4, 6, 3, 2, 1, false, 1, 2, true),                                    // [6, 8]
                new Conv1d.Spec(6, 6, 2, 1, 0, true, 3, 1, false),                                    // [6, 8]
                Sigmoid.SPEC,
                new LayerNorm.Spec(List.of(6, 8), 1e-5f, true),
                new Linear.Spec(8, 5),                                                                // [6, 5]
                new BatchNorm1d.Spec(6),
                new Flatten.Spec(1, -1),                                                              // [30]
                new Linear.Spec(30, 16),
                new BatchNorm1d.Spec(16, 1e-3f, 0.1f, false),
                Tanh.SPEC,
                new Dropout.Spec(0.5f),
                new LayerNorm.Spec(List.of(16), 1e-4f, false),
                ReLU.SPEC,
                Identity.SPEC,
                new Linear.Spec(16, 10));
        return new ModelSpec(new int[] {1, 28, 28}, layers);
    }

    /**
     * Each raw pixel value (0–255) an int64 index into a table of 2-vectors, then a linear layer and
     * softmax: the graph's input is int64 too.
     */
    private static ModelSpec embedding() {
        return new ModelSpec(new int[] {784}, List.of(new Embedding.Spec(256, 2), new Flatten.Spec(1, -1),
                new Linear.Spec(1568, 10), new Softmax.Spec(1)));
    }

    private static Tensor images(ImageDataset test, Preprocessing input) {
        List<Tensor> images = new ArrayList<>();
        for (int i = 0; i < IMAGES; i++) {
            images.add(input.image(test.image(i)));
        }
        return Tensor.stack(images, 0);
    }

    /** The venv's python, made by scripts/onnx-venv when absent and Debian's python3 can make one. */
    private static Path venv() throws Exception {
        String configured = System.getenv("SOMA_ONNX_VENV");
        Path venv = configured != null ? Path.of(configured)
                : Path.of(System.getProperty("user.home"), ".cache", "soma", "onnx-venv");
        Path python = venv.resolve("bin/python");
        Path script = Path.of("../scripts/onnx-venv");
        if (!Files.isExecutable(python) || !Files.exists(venv.resolve(".soma-pins"))) {
            boolean canMake = Files.isExecutable(Path.of("/usr/bin/python3")) && new ProcessBuilder("/usr/bin/python3",
                    "-c", "import ensurepip, venv").start().waitFor() == 0;
            if (canMake && Files.isExecutable(script)) {
                new ProcessBuilder(script.toString()).inheritIO().start().waitFor();
            }
        }
        boolean ready = Files.isExecutable(python) && new ProcessBuilder(python.toString(), "-c",
                "import onnxruntime, onnx, numpy").start().waitFor() == 0;
        Installed.assumeInstalled("onnxruntime", "apt-get install python3-venv, then run scripts/onnx-venv", ready,
                "no onnxruntime in " + venv);
        return python;
    }

    private static void writeFloats(Path file, float[] values) throws IOException {
        ByteBuffer bytes = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(values);
        Files.write(file, bytes.array());
    }

    private static void writeLongs(Path file, long[] values) throws IOException {
        ByteBuffer bytes = ByteBuffer.allocate(8 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asLongBuffer().put(values);
        Files.write(file, bytes.array());
    }

    private static float[] readFloats(Path file) throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        float[] values = new float[bytes.remaining() / 4];
        bytes.asFloatBuffer().get(values);
        return values;
    }
}
