package dev.soma.parity;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.soma.nn.BCELoss;
import dev.soma.nn.BCEWithLogitsLoss;
import dev.soma.nn.CrossEntropyLoss;
import dev.soma.nn.HuberLoss;
import dev.soma.nn.KLDivLoss;
import dev.soma.nn.L1Loss;
import dev.soma.nn.LayerArgs;
import dev.soma.nn.LayerRegistry;
import dev.soma.nn.LayerSpec;
import dev.soma.nn.Loss;
import dev.soma.nn.Module;
import dev.soma.nn.NLLLoss;
import dev.soma.nn.Reduction;
import dev.soma.nn.SmoothL1Loss;
import dev.soma.tensor.Generator;
import dev.soma.tensor.Tensor;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Soma's layers and losses against PyTorch's, value for value and gradient for gradient, on the fixed
 * inputs in {@code dev/soma/parity/layers.json}, which {@code core/src/test/python/layer_fixtures.py}
 * writes with PyTorch (1.13, float64, inputs drawn in float32): so these tests need no Python.
 *
 * <p>Each layer case builds the layer from its spec through {@link LayerRegistry}, as a model file
 * would (so the field names and defaults are checked too), loads PyTorch's state dict into it
 * strictly (so the parameter names and shapes are PyTorch's), runs it, backpropagates PyTorch's
 * output gradient, and compares the output and the gradients of the input and of every parameter.
 * The spec must also survive a round trip through its own {@code args()} and predict the output's
 * shape. Tolerance: {@code |soma − torch| ≤ 1e-4·(1 + |torch|)}, float32 rounding over a few dozen
 * terms with room to spare; a wrong rule is off by O(1).
 */
class LayerParityTest {

    private static final double TOLERANCE = 1e-4;

    @TestFactory
    Stream<DynamicTest> layersMatchPyTorch() throws IOException {
        return cases().filter(c -> c.has("spec")).map(c -> DynamicTest.dynamicTest(c.get("name").asText(),
                () -> checkLayer(c)));
    }

    @TestFactory
    Stream<DynamicTest> lossesMatchPyTorch() throws IOException {
        return cases().filter(c -> c.has("loss")).map(c -> DynamicTest.dynamicTest(c.get("name").asText(),
                () -> checkLoss(c)));
    }

    static void checkLayer(JsonNode c) {
        Map<String, Object> fields = new ObjectMapper().convertValue(c.get("spec"), Map.class);
        String type = (String) fields.remove("type");
        LayerSpec spec = LayerRegistry.read(type, new LayerArgs(fields));
        assertEquals(spec, LayerRegistry.read(type, new LayerArgs(spec.args())), "the spec's args read back");
        Module layer = spec.build(new Generator(0));
        layer.eval();
        Map<String, Tensor> state = new LinkedHashMap<>();
        c.get("params").properties().forEach(e -> state.put(e.getKey(), tensor(e.getValue())));
        layer.loadStateDict(state);

        JsonNode grads = c.get("grads");
        Tensor given = tensor(c.get("input"));
        // An embedding's input holds indices, int64 in PyTorch too; the fixtures store every tensor's values as numbers.
        Tensor input = type.equals("embedding") ? given.toLong() : given.requiresGrad(grads.has("input"));
        Tensor output = layer.forward(input);
        assertClose(c.get("output"), output, "output");
        int[] sample = Arrays.copyOfRange(input.shape(), 1, input.dim());
        int[] expected = Arrays.copyOfRange(output.shape(), 1, output.dim());
        assertArrayEquals(expected, spec.outputShape(sample, "the input gives"), "the spec's output shape");

        output.backward(tensor(c.get("grad_output")));
        grads.properties().forEach(e -> {
            Tensor grad = e.getKey().equals("input") ? input.grad() : layer.namedParameters().get(e.getKey()).grad();
            assertNotNull(grad, "no gradient for " + e.getKey());
            assertClose(e.getValue(), grad, "gradient of " + e.getKey());
        });
    }

    private static void checkLoss(JsonNode c) {
        JsonNode args = c.get("args");
        Tensor input = tensor(c.get("input")).requiresGrad(true);
        String kind = c.get("loss").asText();
        Tensor target = tensor(c.get("target"));
        boolean classes = kind.equals("cross_entropy") || kind.equals("nll"); // class indices: int64, as in PyTorch
        Tensor output = loss(kind, args).forward(input, classes ? target.toLong() : target);
        assertClose(c.get("output"), output, "loss");
        output.backward(tensor(c.get("grad_output")));
        assertClose(c.get("grads").get("input"), input.grad(), "gradient of the input");
    }

    /** The loss a case names, with PyTorch's keyword arguments. */
    private static Loss loss(String kind, JsonNode args) {
        String reductionName = args.path("reduction").asText("mean");
        Reduction reduction = Reduction.valueOf(reductionName.toUpperCase(Locale.ROOT));
        Tensor weight = args.has("weight") ? floats(args.get("weight")) : null;
        int ignoreIndex = args.path("ignore_index").asInt(-100);
        return switch (kind) {
            case "cross_entropy" -> new CrossEntropyLoss(weight, ignoreIndex, reduction,
                    (float) args.path("label_smoothing").asDouble(0));
            case "nll" -> new NLLLoss(weight, ignoreIndex, reduction);
            case "bce_with_logits" -> new BCEWithLogitsLoss(weight, reduction, floats(args.get("pos_weight")));
            case "bce" -> new BCELoss(reduction);
            case "l1" -> new L1Loss(reduction);
            case "huber" -> new HuberLoss(reduction, (float) args.get("delta").asDouble());
            case "smooth_l1" -> new SmoothL1Loss(reduction, (float) args.get("beta").asDouble());
            case "kl_div" -> new KLDivLoss(reduction, args.get("log_target").asBoolean());
            default -> throw new AssertionError("unknown loss " + kind);
        };
    }

    private static Stream<JsonNode> cases() throws IOException {
        return cases("layers.json");
    }

    /** The cases of {@code dev/soma/parity/NAME}, which layer_fixtures.py writes. */
    static Stream<JsonNode> cases(String name) throws IOException {
        try (InputStream in = LayerParityTest.class.getResourceAsStream("/dev/soma/parity/" + name)) {
            assertNotNull(in, "dev/soma/parity/" + name + " is missing; run core/src/test/python/layer_fixtures.py");
            JsonNode root = new ObjectMapper().readTree(in);
            return StreamSupport.stream(root.get("cases").spliterator(), false);
        }
    }

    static Tensor tensor(JsonNode node) {
        int[] shape = new int[node.get("shape").size()];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = node.get("shape").get(i).asInt();
        }
        return Tensor.of(floats(node.get("data")).toArray(), shape);
    }

    private static Tensor floats(JsonNode array) {
        float[] values = new float[array.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) array.get(i).asDouble();
        }
        return Tensor.of(values, values.length);
    }

    static void assertClose(JsonNode expected, Tensor actual, String what) {
        Tensor reference = tensor(expected);
        assertArrayEquals(reference.shape(), actual.shape(), what + ": shape");
        float[] e = reference.toArray();
        float[] a = actual.toArray();
        for (int i = 0; i < e.length; i++) {
            double allowed = TOLERANCE * (1 + Math.abs(e[i]));
            assertTrue(Math.abs(a[i] - e[i]) <= allowed, what + " [" + i + "]: Soma " + a[i] + ", PyTorch " + e[i]);
        }
    }
}
