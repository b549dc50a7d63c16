package dev.soma.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.soma.nn.LeakyReLU;
import dev.soma.nn.Linear;
import dev.soma.nn.ModelSpec;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every way a spec can be wrong, and the message naming the layer and field. */
class ModelSpecErrorsTest {

    /** A spec's JSON with {@code input} (e.g. "[1,28,28]") and these layer objects. */
    private static String spec(String input, String... layers) {
        return "{\"format\":\"soma-model/1\",\"input\":" + input + ",\"layers\":[" + String.join(",", layers) + "]}";
    }

    private static final String FLATTEN = "{\"type\":\"flatten\"}";
    private static final String RELU = "{\"type\":\"relu\"}";

    private static String linear(int in, int out) {
        return "{\"type\":\"linear\",\"in_features\":" + in + ",\"out_features\":" + out + "}";
    }

    private static String conv(int in, int out, int kernel) {
        return "{\"type\":\"conv2d\",\"in_channels\":" + in + ",\"out_channels\":" + out + ",\"kernel_size\":" + kernel + "}";
    }

    static Stream<Arguments> shapeErrors() {
        return Stream.of(
                Arguments.of(spec("[2,28,28]", FLATTEN, linear(784, 10)),
                        "layer 1 (linear): expects 784 input features, the previous layers give 1568"),
                Arguments.of(spec("[3]", linear(2, 1)), "layer 0 (linear): expects 2 input features, the input gives 3"),
                Arguments.of(spec("[1,28,28]", linear(784, 10)), "layer 0 (linear): expects 784 input features, the input"
                        + " gives 28 (the last dimension of [1, 28, 28]); a flatten layer before it would give 784"),
                Arguments.of(spec("[784]", conv(1, 4, 3)), "layer 0 (conv2d): expects images [C, H, W], the input gives [784]"),
                Arguments.of(spec("[1,28,28]", conv(1, 16, 3), RELU, conv(3, 8, 3)),
                        "layer 2 (conv2d): expects 3 input channels, the previous layers give 16 ([16, 26, 26])"),
                Arguments.of(spec("[1,2,2]", conv(1, 4, 3)), "layer 0 (conv2d): a 3×3 window (stride 1, padding 0,"
                        + " dilation 1) does not fit in the images: the input gives [1, 2, 2]"),
                Arguments.of(spec("[1,4,4]", conv(1, 1, 3), "{\"type\":\"maxpool2d\",\"kernel_size\":3}"),
                        "layer 1 (maxpool2d): a 3×3 window (stride 3, padding 0, dilation 1) does not fit in the images:"
                                + " the previous layers give [1, 2, 2]"),
                Arguments.of(spec("[4]", "{\"type\":\"avgpool2d\",\"kernel_size\":2}"),
                        "layer 0 (avgpool2d): expects images [C, H, W], the input gives [4]"),
                Arguments.of(spec("[10]", "{\"type\":\"batchnorm1d\",\"num_features\":12}"),
                        "layer 0 (batchnorm1d): expects [12] or [12, L], the input gives [10]"),
                Arguments.of(spec("[3,4,4]", "{\"type\":\"batchnorm2d\",\"num_features\":4}"),
                        "layer 0 (batchnorm2d): expects 4 channels, the input gives 3 ([3, 4, 4])"),
                Arguments.of(spec("[10]", RELU, "{\"type\":\"softmax\",\"dim\":2}"),
                        "layer 1 (softmax): dim 2 is out of range for the batched shape [N, 10] (expected -2 to 1)"),
                Arguments.of(spec("[10]", "{\"type\":\"log_softmax\",\"dim\":-3}"),
                        "layer 0 (log_softmax): dim -3 is out of range for the batched shape [N, 10] (expected -2 to 1)"),
                Arguments.of(spec("[1,4,4]", "{\"type\":\"flatten\",\"start_dim\":0}"),
                        "layer 0 (flatten): start_dim 0 would merge the batch dimension into the features; use 1 or more"),
                Arguments.of(spec("[1,4,4]", "{\"type\":\"flatten\",\"start_dim\":3,\"end_dim\":1}"),
                        "layer 0 (flatten): start_dim 3 comes after end_dim 1 in the batched shape [N, 1, 4, 4]"));
    }

    @ParameterizedTest
    @MethodSource("shapeErrors")
    void rejectsLayersThatDoNotFitTheShapeBeforeThem(String json, String expected) {
        assertEquals(expected, assertThrows(IllegalArgumentException.class, () -> ModelSpecJson.fromJson(json)).getMessage());
    }

    static Stream<Arguments> fieldErrors() {
        return Stream.of(
                Arguments.of(spec("[2]", "{\"in_features\":2}"),
                        "layer 0: field 'type' must be a string such as \"linear\", got missing"),
                Arguments.of(spec("[2]", "[\"relu\"]"), "layer 0 must be an object with a \"type\", got an array"),
                Arguments.of(spec("[2]", "{\"type\":\"linear\",\"out_features\":2}"),
                        "layer 0 (linear): missing field 'in_features'"),
                Arguments.of(spec("[2]", "{\"type\":\"linear\",\"in_features\":\"2\",\"out_features\":2}"),
                        "layer 0 (linear): field 'in_features' must be an integer, got a string"),
                Arguments.of(spec("[2]", "{\"type\":\"linear\",\"in_features\":2.5,\"out_features\":2}"),
                        "layer 0 (linear): field 'in_features' must be an integer, got the number 2.5"),
                Arguments.of(spec("[2]", "{\"type\":\"linear\",\"in_features\":2,\"out_features\":2,\"bias\":1}"),
                        "layer 0 (linear): field 'bias' must be true or false, got the integer 1"),
                Arguments.of(spec("[2]", "{\"type\":\"linear\",\"in_features\":2,\"out_features\":0}"),
                        "layer 0 (linear): out_features must be ≥ 1, got 0"),
                Arguments.of(spec("[2]", "{\"type\":\"linear\",\"in_features\":2,\"out_feature\":2}"),
                        "layer 0 (linear): missing field 'out_features'"),
                Arguments.of(spec("[2]", "{\"type\":\"relu\",\"inplace\":true}"), "layer 0 (relu): unknown field 'inplace'"),
                Arguments.of(spec("[2]", "{\"type\":\"dropout\",\"p\":1.5}"), "layer 0 (dropout): p must be in [0, 1], got 1.5"),
                Arguments.of(spec("[2]", "{\"type\":\"dropout\",\"p\":\"half\"}"),
                        "layer 0 (dropout): field 'p' must be a finite number, got a string"),
                Arguments.of(spec("[2]", "{\"type\":\"softmax\"}"), "layer 0 (softmax): missing field 'dim'"),
                Arguments.of(spec("[1,4,4]", "{\"type\":\"maxpool2d\",\"kernel_size\":2,\"padding\":2}"),
                        "layer 0 (maxpool2d): padding must be between 0 and half the kernel size (1), got 2"),
                Arguments.of(spec("[1,4,4]", "{\"type\":\"conv2d\",\"in_channels\":1,\"out_channels\":1,\"kernel_size\":1,"
                        + "\"stride\":0}"), "layer 0 (conv2d): stride must be ≥ 1, got 0"),
                Arguments.of(spec("[1,4,4]", "{\"type\":\"batchnorm2d\",\"num_features\":null}"),
                        "layer 0 (batchnorm2d): field 'num_features' must be an integer, got null"),
                Arguments.of("[]", "a model spec must be a JSON object, got an array"),
                Arguments.of("{\"input\":[2],\"layers\":[]}", "field 'format' must be the string \"soma-model/1\", got missing"),
                Arguments.of("{\"format\":\"soma-model/2\",\"input\":[2],\"layers\":[]}",
                        "unsupported format 'soma-model/2'; this Soma reads soma-model/1"),
                Arguments.of("{\"format\":\"soma-model/1\",\"layers\":[]}",
                        "field 'input' must be an array of sizes such as [1, 28, 28], got missing"),
                Arguments.of(spec("[1,0]"), "input[1] must be an integer ≥ 1, got the integer 0"),
                Arguments.of("{\"format\":\"soma-model/1\",\"input\":[2],\"layers\":{}}",
                        "field 'layers' must be an array of layers, got an object"),
                Arguments.of("{\"format\":\"soma-model/1\",\"input\":[2],\"layers\":[],\"name\":\"x\"}",
                        "unknown field 'name'; a model spec has format, input and layers"));
    }

    @ParameterizedTest
    @MethodSource("fieldErrors")
    void rejectsMissingIllTypedAndUnknownFields(String json, String expected) {
        assertEquals(expected, assertThrows(IllegalArgumentException.class, () -> ModelSpecJson.fromJson(json)).getMessage());
    }

    @Test
    void anUnknownTypeListsTheKnownOnesSomasOwnFirst() {
        String message = assertThrows(IllegalArgumentException.class,
                () -> ModelSpecJson.fromJson(spec("[2]", RELU, "{\"type\":\"conv3d\"}"))).getMessage();
        String builtins = "layer 1: unknown type 'conv3d'; known types: linear, conv2d, maxpool2d, avgpool2d, batchnorm1d,"
                + " batchnorm2d, relu, sigmoid, tanh, leaky_relu, gelu, softmax, log_softmax, dropout, flatten, identity";
        // Types that other tests register in this JVM (CustomLayerTest's) come after Soma's own.
        assertTrue(message.equals(builtins) || message.startsWith(builtins + ", "), message);
    }

    @Test
    void rejectsInvalidJsonAndDuplicateFields() {
        String message = assertThrows(IllegalArgumentException.class, () -> ModelSpecJson.fromJson("{\"format\":")).getMessage();
        assertTrue(message.startsWith("not valid JSON at line 1, column 11: "), message);
        message = assertThrows(IllegalArgumentException.class,
                () -> ModelSpecJson.fromJson(spec("[2]", "{\"type\":\"linear\",\"in_features\":2,\"in_features\":3}"))).getMessage();
        assertTrue(message.contains("Duplicate field 'in_features'"), message);
    }

    @Test
    void theConstructorChecksShapesToo() {
        assertEquals("input must be a shape of sizes ≥ 1 such as [1, 28, 28] or [2], got []",
                assertThrows(IllegalArgumentException.class, () -> new ModelSpec(new int[0], List.of())).getMessage());
        assertEquals("layer 1 (linear): expects 4 input features, the previous layers give 3",
                assertThrows(IllegalArgumentException.class, () -> new ModelSpec(new int[] {2},
                        List.of(new Linear.Spec(2, 3), new Linear.Spec(4, 1)))).getMessage());
        assertEquals("negative_slope must be finite, got NaN",
                assertThrows(IllegalArgumentException.class, () -> new LeakyReLU.Spec(Float.NaN)).getMessage());
    }
}
