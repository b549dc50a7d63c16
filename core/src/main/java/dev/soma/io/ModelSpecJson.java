package dev.soma.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@link ModelSpec} ⇄ JSON. Field names and defaults are PyTorch's constructor arguments; every
 * error names the layer's index, its type and the field.
 */
final class ModelSpecJson {

    private static final List<String> TYPES = List.of("linear", "conv2d", "maxpool2d", "avgpool2d", "batchnorm1d",
            "batchnorm2d", "relu", "sigmoid", "tanh", "leaky_relu", "gelu", "softmax", "log_softmax", "dropout",
            "flatten", "identity");

    private ModelSpecJson() {}

    static ObjectNode toTree(ModelSpec spec) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.put("format", ModelSpec.FORMAT);
        ArrayNode input = root.putArray("input");
        for (int size : spec.input()) {
            input.add(size);
        }
        ArrayNode layers = root.putArray("layers");
        for (LayerSpec layer : spec.layers()) {
            ObjectNode node = layers.addObject().put("type", layer.type());
            switch (layer) {
                case LayerSpec.Linear l -> node.put("in_features", l.inFeatures()).put("out_features", l.outFeatures())
                        .put("bias", l.bias());
                case LayerSpec.Conv2d c -> node.put("in_channels", c.inChannels()).put("out_channels", c.outChannels())
                        .put("kernel_size", c.kernelSize()).put("stride", c.stride()).put("padding", c.padding())
                        .put("dilation", c.dilation()).put("bias", c.bias());
                case LayerSpec.MaxPool2d p -> node.put("kernel_size", p.kernelSize()).put("stride", p.stride())
                        .put("padding", p.padding());
                case LayerSpec.AvgPool2d p -> node.put("kernel_size", p.kernelSize()).put("stride", p.stride())
                        .put("padding", p.padding());
                case LayerSpec.BatchNorm1d b -> node.put("num_features", b.numFeatures());
                case LayerSpec.BatchNorm2d b -> node.put("num_features", b.numFeatures());
                case LayerSpec.LeakyReLU l -> node.put("negative_slope", l.negativeSlope());
                case LayerSpec.Softmax s -> node.put("dim", s.dim());
                case LayerSpec.LogSoftmax s -> node.put("dim", s.dim());
                case LayerSpec.Dropout d -> node.put("p", d.p());
                case LayerSpec.Flatten f -> node.put("start_dim", f.startDim()).put("end_dim", f.endDim());
                case LayerSpec.ReLU _, LayerSpec.Sigmoid _, LayerSpec.Tanh _, LayerSpec.GELU _, LayerSpec.Identity _ -> {
                    // no hyperparameters
                }
            }
        }
        return root;
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
            throw new IllegalArgumentException("field 'format' must be the string \"" + ModelSpec.FORMAT + "\", got "
                    + Json.kind(format));
        }
        if (!format.textValue().equals(ModelSpec.FORMAT)) {
            throw new IllegalArgumentException("unsupported format '" + format.textValue() + "'; this Soma reads "
                    + ModelSpec.FORMAT);
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
        if (!TYPES.contains(type)) {
            throw new IllegalArgumentException("layer " + index + ": unknown type '" + type + "'; known types: "
                    + String.join(", ", TYPES));
        }
        Fields f = new Fields("layer " + index + " (" + type + "): ", node);
        try {
            LayerSpec layer = switch (type) {
                case "linear" -> new LayerSpec.Linear(f.integer("in_features"), f.integer("out_features"),
                        f.bool("bias", true));
                case "conv2d" -> new LayerSpec.Conv2d(f.integer("in_channels"), f.integer("out_channels"),
                        f.integer("kernel_size"), f.integer("stride", 1), f.integer("padding", 0),
                        f.integer("dilation", 1), f.bool("bias", true));
                case "maxpool2d" -> {
                    int kernel = f.integer("kernel_size");
                    yield new LayerSpec.MaxPool2d(kernel, f.integer("stride", kernel), f.integer("padding", 0));
                }
                case "avgpool2d" -> {
                    int kernel = f.integer("kernel_size");
                    yield new LayerSpec.AvgPool2d(kernel, f.integer("stride", kernel), f.integer("padding", 0));
                }
                case "batchnorm1d" -> new LayerSpec.BatchNorm1d(f.integer("num_features"));
                case "batchnorm2d" -> new LayerSpec.BatchNorm2d(f.integer("num_features"));
                case "relu" -> new LayerSpec.ReLU();
                case "sigmoid" -> new LayerSpec.Sigmoid();
                case "tanh" -> new LayerSpec.Tanh();
                case "leaky_relu" -> new LayerSpec.LeakyReLU(f.number("negative_slope", 0.01f));
                case "gelu" -> new LayerSpec.GELU();
                case "softmax" -> new LayerSpec.Softmax(f.integer("dim"));
                case "log_softmax" -> new LayerSpec.LogSoftmax(f.integer("dim"));
                case "dropout" -> new LayerSpec.Dropout(f.number("p", 0.5f));
                case "flatten" -> new LayerSpec.Flatten(f.integer("start_dim", 1), f.integer("end_dim", -1));
                case "identity" -> new LayerSpec.Identity();
                default -> throw new IllegalStateException("type '" + type + "' is listed but not read");
            };
            f.checkNoOthers();
            return layer;
        } catch (IllegalArgumentException e) {
            throw e.getMessage().startsWith(f.where) ? e : new IllegalArgumentException(f.where + e.getMessage(), e);
        }
    }

    /** The fields of one layer's object, read by name; remembers which were read to reject the others. */
    private static final class Fields {
        private final String where;
        private final JsonNode node;
        private final Set<String> read = new HashSet<>(Set.of("type"));

        Fields(String where, JsonNode node) {
            this.where = where;
            this.node = node;
        }

        int integer(String name) {
            JsonNode value = required(name);
            if (!value.isIntegralNumber() || !value.canConvertToInt()) {
                throw new IllegalArgumentException(where + "field '" + name + "' must be an integer, got "
                        + Json.kind(value));
            }
            return value.intValue();
        }

        int integer(String name, int defaultValue) {
            return node.has(name) ? integer(name) : skip(name, defaultValue);
        }

        boolean bool(String name, boolean defaultValue) {
            if (!node.has(name)) {
                return skip(name, defaultValue);
            }
            JsonNode value = required(name);
            if (!value.isBoolean()) {
                throw new IllegalArgumentException(where + "field '" + name + "' must be true or false, got "
                        + Json.kind(value));
            }
            return value.booleanValue();
        }

        float number(String name, float defaultValue) {
            if (!node.has(name)) {
                return skip(name, defaultValue);
            }
            JsonNode value = required(name);
            if (!value.isNumber() || !Float.isFinite(value.floatValue())) {
                throw new IllegalArgumentException(where + "field '" + name + "' must be a finite number, got "
                        + Json.kind(value));
            }
            return value.floatValue();
        }

        private <T> T skip(String name, T defaultValue) {
            read.add(name);
            return defaultValue;
        }

        private JsonNode required(String name) {
            read.add(name);
            JsonNode value = node.get(name);
            if (value == null) {
                throw new IllegalArgumentException(where + "missing field '" + name + "'");
            }
            return value;
        }

        void checkNoOthers() {
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                if (!read.contains(field.getKey())) {
                    throw new IllegalArgumentException(where + "unknown field '" + field.getKey() + "'");
                }
            }
        }
    }
}
