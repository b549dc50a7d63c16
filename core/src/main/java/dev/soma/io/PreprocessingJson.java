package dev.soma.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.soma.data.Background;
import dev.soma.data.PointFeature;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * {@link Preprocessing} ⇄ JSON, the value of {@value Preprocessing#KEY} in a model file:
 *
 * <pre>
 * {"format": "soma-input/1", "kind": "images", "source": "fashion-mnist", "channels": 1, "height": 28,
 *  "width": 28, "divisor": 255, "mean": [0.0], "std": [1.0], "background": "dark"}
 * {"format": "soma-input/1", "kind": "points", "source": "xor", "features": ["x1", "x2"]}
 * </pre>
 *
 * Unknown fields are refused, so a typo is not silently ignored; {@code source} may be absent.
 */
public final class PreprocessingJson {

    /** The value of the JSON {@code format} field this version reads and writes. */
    public static final String FORMAT = "soma-input/1";

    private static final Set<String> IMAGE_FIELDS =
            Set.of("format", "kind", "source", "channels", "height", "width", "divisor", "mean", "std", "background");
    private static final Set<String> POINT_FIELDS = Set.of("format", "kind", "source", "features");
    private static final Set<String> VECTOR_FIELDS = Set.of("format", "kind", "source");

    private PreprocessingJson() {}

    /** {@code input} as compact JSON. */
    public static String toJson(Preprocessing input) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.put("format", FORMAT);
        root.put("kind", input.kind().name().toLowerCase(Locale.ROOT));
        if (input.source() != null) {
            root.put("source", input.source());
        }
        switch (input.kind()) {
            case IMAGES -> {
                root.put("channels", input.channels());
                root.put("height", input.height());
                root.put("width", input.width());
                root.put("divisor", input.divisor());
                ArrayNode mean = root.putArray("mean");
                input.mean().forEach(mean::add);
                ArrayNode std = root.putArray("std");
                input.std().forEach(std::add);
                root.put("background", input.background().id());
            }
            case POINTS -> {
                ArrayNode features = root.putArray("features");
                input.features().forEach(f -> features.add(f.id()));
            }
            case VECTOR -> {
            }
        }
        return Json.write(root);
    }

    /**
     * The preprocessing in {@code json}.
     *
     * @throws IllegalArgumentException naming the field that is missing, ill-typed, unknown or out of range
     */
    public static Preprocessing fromJson(String json) {
        JsonNode root = Json.parse(json);
        if (!root.isObject()) {
            throw new IllegalArgumentException("expected a JSON object, got " + Json.kind(root));
        }
        String format = text(root, "format");
        if (!FORMAT.equals(format)) {
            throw new IllegalArgumentException("format is '" + format + "', this version reads " + FORMAT);
        }
        String kindName = text(root, "kind");
        Preprocessing.Kind kind;
        try {
            kind = Preprocessing.Kind.valueOf(kindName.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("kind is '" + kindName + "', expected images, points or vector", e);
        }
        Set<String> known = switch (kind) {
            case IMAGES -> IMAGE_FIELDS;
            case POINTS -> POINT_FIELDS;
            case VECTOR -> VECTOR_FIELDS;
        };
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            if (!known.contains(field)) {
                throw new IllegalArgumentException("unknown field '" + field + "' for " + kindName + " (known: "
                        + String.join(", ", known.stream().sorted().toList()) + ")");
            }
        }
        String source = root.has("source") ? text(root, "source") : null;
        return switch (kind) {
            case IMAGES -> new Preprocessing(kind, source, integer(root, "channels"), integer(root, "height"),
                    integer(root, "width"), number(root, "divisor"), numbers(root, "mean"), numbers(root, "std"),
                    Background.of(text(root, "background")), List.of());
            case POINTS -> {
                List<PointFeature> features = new ArrayList<>();
                for (String id : texts(root, "features")) {
                    features.add(PointFeature.of(id));
                }
                yield Preprocessing.points(source, features);
            }
            case VECTOR -> new Preprocessing(kind, source, 0, 0, 0, 0, List.of(), List.of(), null, List.of());
        };
    }

    private static JsonNode field(JsonNode root, String name) {
        JsonNode node = root.get(name);
        if (node == null) {
            throw new IllegalArgumentException("missing field '" + name + "'");
        }
        return node;
    }

    private static String text(JsonNode root, String name) {
        JsonNode node = field(root, name);
        if (!node.isTextual()) {
            throw new IllegalArgumentException(name + " is " + Json.kind(node) + ", expected a string");
        }
        return node.textValue();
    }

    private static int integer(JsonNode root, String name) {
        JsonNode node = field(root, name);
        if (!node.isIntegralNumber() || !node.canConvertToInt()) {
            throw new IllegalArgumentException(name + " is " + Json.kind(node) + ", expected an integer");
        }
        return node.intValue();
    }

    private static double number(JsonNode root, String name) {
        JsonNode node = field(root, name);
        if (!node.isNumber()) {
            throw new IllegalArgumentException(name + " is " + Json.kind(node) + ", expected a number");
        }
        return node.doubleValue();
    }

    private static List<Double> numbers(JsonNode root, String name) {
        JsonNode node = field(root, name);
        if (!node.isArray()) {
            throw new IllegalArgumentException(name + " is " + Json.kind(node) + ", expected an array of numbers");
        }
        List<Double> values = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            if (!node.get(i).isNumber()) {
                throw new IllegalArgumentException(name + "[" + i + "] is " + Json.kind(node.get(i)) + ", expected a number");
            }
            values.add(node.get(i).doubleValue());
        }
        return values;
    }

    private static List<String> texts(JsonNode root, String name) {
        JsonNode node = field(root, name);
        if (!node.isArray()) {
            throw new IllegalArgumentException(name + " is " + Json.kind(node) + ", expected an array of strings");
        }
        List<String> values = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            if (!node.get(i).isTextual()) {
                throw new IllegalArgumentException(name + "[" + i + "] is " + Json.kind(node.get(i)) + ", expected a string");
            }
            values.add(node.get(i).textValue());
        }
        return values;
    }
}
