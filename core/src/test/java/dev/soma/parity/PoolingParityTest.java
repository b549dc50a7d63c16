package dev.soma.parity;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.soma.nn.LayerArgs;
import dev.soma.nn.LayerRegistry;
import dev.soma.nn.MaxPool2d;
import dev.soma.nn.MaxUnpool2d;
import dev.soma.nn.Pair;
import dev.soma.tensor.DType;
import dev.soma.tensor.Generator;
import dev.soma.tensor.Tensor;
import java.io.IOException;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Pooling's options against PyTorch's, on the fixed inputs of {@code dev/soma/parity/pooling.json}
 * ({@code core/src/test/python/layer_fixtures.py} writes it): {@code ceil_mode} where a last window is
 * partial and where PyTorch drops one that would start in the padding, {@code count_include_pad} false
 * with padding, {@code divisor_override}, strides other than the kernel, dilation and non-square
 * windows, each read from its spec as a model file would ({@link LayerParityTest#checkLayer}); and
 * {@code return_indices} with {@link MaxUnpool2d}: the indices exactly, the unpooled output, and the
 * gradient through both, with repeated indices too (the later write wins, as in PyTorch's CPU kernel).
 */
class PoolingParityTest {

    @TestFactory
    Stream<DynamicTest> poolingLayersMatchPyTorch() throws IOException {
        return LayerParityTest.cases("pooling.json").filter(c -> c.has("spec"))
                .map(c -> DynamicTest.dynamicTest(c.get("name").asText(), () -> LayerParityTest.checkLayer(c)));
    }

    @TestFactory
    Stream<DynamicTest> unpoolingMatchesPyTorch() throws IOException {
        return LayerParityTest.cases("pooling.json").filter(c -> c.has("unpool"))
                .map(c -> DynamicTest.dynamicTest(c.get("name").asText(), () -> checkUnpool(c)));
    }

    private static void checkUnpool(JsonNode c) {
        JsonNode settings = c.get("unpool");
        int[] outputSize = settings.get("output_size").isNull() ? null : ints(settings.get("output_size"));
        MaxUnpool2d unpool = new MaxUnpool2d(pair(settings.get("kernel_size")), pair(settings.get("stride")),
                pair(settings.get("padding")));
        Tensor input;
        Tensor values;
        Tensor indices;
        if (settings.has("pool")) {
            Map<String, Object> fields = new ObjectMapper().convertValue(settings.get("pool"), Map.class);
            fields.remove("type");
            var pool = (MaxPool2d) LayerRegistry.read("maxpool2d", new LayerArgs(fields)).build(new Generator(0));
            input = LayerParityTest.tensor(c.get("input")).requiresGrad(true);
            Tensor.ValuesAndIndices pooled = pool.forwardWithIndices(input);
            values = pooled.values();
            indices = pooled.indices();
            LayerParityTest.assertClose(c.get("values"), values, "pooled values");
            assertEquals(DType.INT64, indices.dtype(), "indices are int64, as PyTorch's");
            assertArrayEquals(LayerParityTest.tensor(c.get("indices")).toLong().toLongArray(), indices.toLongArray(),
                    "indices");
        } else {
            input = LayerParityTest.tensor(c.get("values")).requiresGrad(true);
            values = input;
            indices = LayerParityTest.tensor(c.get("indices")).toLong();
        }
        Tensor output = unpool.forward(values, indices, outputSize);
        LayerParityTest.assertClose(c.get("output"), output, "unpooled output");
        output.backward(LayerParityTest.tensor(c.get("grad_output")));
        JsonNode grads = c.get("grads");
        LayerParityTest.assertClose(grads.has("input") ? grads.get("input") : grads.get("values"), input.grad(),
                "gradient of the input");
        assertFalse(indices.requiresGrad(), "the indices take no gradient");
    }

    private static Pair pair(JsonNode node) {
        return node.isArray() ? new Pair(node.get(0).asInt(), node.get(1).asInt()) : Pair.of(node.asInt());
    }

    private static int[] ints(JsonNode array) {
        int[] values = new int[array.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = array.get(i).asInt();
        }
        return values;
    }
}
