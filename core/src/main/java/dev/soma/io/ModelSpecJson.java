package dev.soma.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.soma.nn.LayerArgs;
import dev.soma.nn.LayerRegistry;
import dev.soma.nn.LayerSpec;
import dev.soma.nn.ModelSpec;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@link ModelSpec} ⇄ JSON, the architecture a model file holds in {@code soma.spec} and what
 * {@code soma train --model SPEC.json} reads (docs/MODEL-FILES.md describes it for users):
 *
 * <pre>
 * {"format": "soma-model/1", "input": [1, 28, 28],
 *  "layers": [{"type": "flatten", "start_dim": 1, "end_dim": -1},
 *             {"type": "linear", "in_features": 784, "out_features": 256, "bias": true},
 *             {"type": "relu"}, …]}
 * </pre>
 *
 * <p>This class knows no layer by name: a layer is its {@code type} and its fields, which
 * {@link LayerSpec#args} gives and {@link LayerRegistry#read} takes back. Every error names the
 * layer's index, its type and the field.
 */
public final class ModelSpecJson {

    /** The value of the JSON {@code format} field this version reads and writes. */
    public static final String FORMAT = "soma-model/1";

    private ModelSpecJson() {}

    /** {@code spec} as compact JSON, every field written out (defaults too). */
    public static String toJson(ModelSpec spec) {
        return Json.write(toTree(spec));
    }

    /**
     * The spec in {@code json}.
     *
     * @throws IllegalArgumentException naming the layer index and field for a missing, ill-typed or
     *     unknown field or type, and for shapes that do not fit (as {@link ModelSpec}'s constructor)
     */
    public static ModelSpec fromJson(String json) {
        return fromTree(Json.parse(json));
    }

    /**
     * The spec in the JSON file {@code file}.
     *
     * @throws FileFormatException naming the file, then what {@link #fromJson} would say
     */
    public static ModelSpec read(Path file) throws IOException {
        String text;
        try {
            text = Files.readString(file);
        } catch (CharacterCodingException e) {
            throw new FileFormatException(file, "not valid UTF-8", e);
        }
        try {
            return fromJson(text);
        } catch (IllegalArgumentException e) {
            throw new FileFormatException(file, e.getMessage(), e);
        }
    }

    static ObjectNode toTree(ModelSpec spec) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.put("format", FORMAT);
        ArrayNode input = root.putArray("input");
        for (int size : spec.input()) {
            input.add(size);
        }
        ArrayNode layers = root.putArray("layers");
        for (LayerSpec layer : spec.layers()) {
            ObjectNode node = layers.addObject().put("type", layer.type());
            layer.args().forEach((name, value) -> node.set(name, toNode(value)));
        }
        return root;
    }

    /** A hyperparameter's value as JSON: numbers, booleans, strings, and lists of them. */
    private static JsonNode toNode(Object value) {
        JsonNodeFactory json = JsonNodeFactory.instance;
        return switch (value) {
            case null -> json.nullNode();
            case Integer i -> json.numberNode(i);
            case Long l -> json.numberNode(l);
            case Float f -> json.numberNode(f);
            case Double d -> json.numberNode(d);
            case Boolean b -> json.booleanNode(b);
            case String s -> json.textNode(s);
            case List<?> list -> {
                ArrayNode array = json.arrayNode();
                list.forEach(item -> array.add(toNode(item)));
                yield array;
            }
            default -> throw new IllegalArgumentException("a layer's hyperparameter cannot be "
                    + value.getClass().getSimpleName() + " (" + value + ")");
        };
    }

    static ModelSpec fromTree(JsonNode root) {
        if (!root.isObject()) {
            throw new IllegalArgumentException("a model spec must be a JSON object, got " + Json.kind(root));
        }
        for (Map.Entry<String, JsonNode> field : root.properties()) {
            if (!Set.of("format", "input", "layers").contains(field.getKey())) {
                throw new IllegalArgumentException("unknown field '" + field.getKey()
                        + "'; a model spec has format, input and layers");
            }
        }
        JsonNode format = root.get("format");
        if (format == null || !format.isTextual()) {
            throw new IllegalArgumentException("field 'format' must be the string \"" + FORMAT + "\", got "
                    + Json.kind(format));
        }
        if (!format.textValue().equals(FORMAT)) {
            throw new IllegalArgumentException("unsupported format '" + format.textValue() + "'; this Soma reads "
                    + FORMAT);
        }
        JsonNode input = root.get("input");
        if (input == null || !input.isArray() || input.isEmpty()) {
            throw new IllegalArgumentException("field 'input' must be an array of sizes such as [1, 28, 28], got "
                    + Json.kind(input));
        }
        int[] shape = new int[input.size()];
        for (int d = 0; d < shape.length; d++) {
            if (!input.get(d).isIntegralNumber() || !input.get(d).canConvertToInt() || input.get(d).intValue() < 1) {
                throw new IllegalArgumentException("input[" + d + "] must be an integer ≥ 1, got "
                        + Json.kind(input.get(d)));
            }
            shape[d] = input.get(d).intValue();
        }
        JsonNode layers = root.get("layers");
        if (layers == null || !layers.isArray()) {
            throw new IllegalArgumentException("field 'layers' must be an array of layers, got " + Json.kind(layers));
        }
        List<LayerSpec> specs = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            specs.add(layer(i, layers.get(i)));
        }
        return new ModelSpec(shape, specs);
    }

    private static LayerSpec layer(int index, JsonNode node) {
        if (!node.isObject()) {
            throw new IllegalArgumentException("layer " + index + " must be an object with a \"type\", got "
                    + Json.kind(node));
        }
        JsonNode typeNode = node.get("type");
        if (typeNode == null || !typeNode.isTextual()) {
            throw new IllegalArgumentException("layer " + index + ": field 'type' must be a string such as \"linear\", got "
                    + Json.kind(typeNode));
        }
        String type = typeNode.textValue();
        if (!LayerRegistry.isRegistered(type)) {
            throw new IllegalArgumentException("layer " + index + ": unknown type '" + type + "'; known types: "
                    + String.join(", ", LayerRegistry.types()));
        }
        Map<String, Object> fields = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> field : node.properties()) {
            if (!field.getKey().equals("type")) {
                fields.put(field.getKey(), toValue(field.getValue()));
            }
        }
        try {
            return LayerRegistry.read(type, new LayerArgs(fields));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("layer " + index + " (" + type + "): " + e.getMessage(), e);
        }
    }

    /** A JSON value as plain Java, for {@link LayerArgs}: Long or BigInteger, Double, Boolean, String, List, Map, null. */
    private static Object toValue(JsonNode node) {
        return switch (node.getNodeType()) {
            case NUMBER -> node.isIntegralNumber() ? (node.canConvertToLong() ? node.longValue() : node.bigIntegerValue())
                    : node.doubleValue();
            case BOOLEAN -> node.booleanValue();
            case STRING, BINARY -> node.textValue();
            case ARRAY -> {
                List<Object> list = new ArrayList<>();
                node.forEach(item -> list.add(toValue(item)));
                yield list;
            }
            case OBJECT, POJO -> {
                Map<String, Object> map = new LinkedHashMap<>();
                node.properties().forEach(e -> map.put(e.getKey(), toValue(e.getValue())));
                yield map;
            }
            case NULL, MISSING -> null;
        };
    }
}
