package dev.soma.io.onnx;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An ONNX graph in the making, and its {@code ModelProto} bytes: nodes in the order they run, the
 * weights as initializers, one input (float, or int64 indices) and one float output, each with the
 * batch, {@code N}, as its first dimension. Field numbers are onnx.proto's (ONNX 1.x), written by {@link Protobuf}.
 *
 * <p>Each node gets a fresh output name from the current {@link #scope} ({@code layer3.conv}), so a
 * node's name says which layer of the model it computes.
 */
final class OnnxGraph {

    /** ONNX's {@code TensorProto.DataType} values used here. */
    static final int FLOAT = 1;
    static final int INT64 = 7;

    /** A node attribute: its name and an {@code Integer}/{@code Long}, {@code Float}, {@code long[]} or {@code String}. */
    record Attribute(String name, Object value) {
    }

    private final List<Protobuf> nodes = new ArrayList<>();
    private final List<Protobuf> initializers = new ArrayList<>();
    private final Map<String, Integer> names = new LinkedHashMap<>();
    private final Set<String> added = new HashSet<>();
    private Protobuf input;
    private Protobuf output;
    private String scope = "graph";
    private int nodeCount;
    private long weights;

    static Attribute attribute(String name, Object value) {
        return new Attribute(name, value);
    }

    /** Names the nodes added from now on {@code scope.op}, {@code scope.op_1}, … */
    void scope(String scope) {
        this.scope = scope;
    }

    /** The graph's input: a tensor {@code [N, sample…]} of {@code type} ({@link #FLOAT}, {@link #INT64}). */
    void input(String name, int[] sample, int type) {
        input = valueInfo(name, sample, type);
    }

    /** The graph's output: a float tensor {@code [N, sample…]}. */
    void output(String name, int[] sample) {
        output = valueInfo(name, sample, FLOAT);
    }

    /** A float initializer (a weight) of {@code shape} named {@code name}, added once; returns the name. */
    String weight(String name, float[] values, int... shape) {
        if (!added.add(name)) {
            return name;
        }
        ByteBuffer data = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        data.asFloatBuffer().put(values);
        weights += values.length;
        return initializer(name, FLOAT, data.array(), shape);
    }

    /** A float constant of {@code shape} named after the current scope; returns its name. */
    String constant(String what, float[] values, int... shape) {
        return weight(fresh(what), values, shape);
    }

    /** An int64 constant (a shape, an axis list) named after the current scope; returns its name. */
    String int64s(String what, long... values) {
        ByteBuffer data = ByteBuffer.allocate(8 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        data.asLongBuffer().put(values);
        return initializer(fresh(what), INT64, data.array(), values.length);
    }

    /**
     * Adds a node of {@code op} (an operator of the default ONNX domain) on {@code inputs}; returns the
     * name of its one output.
     */
    String node(String op, List<String> inputs, Attribute... attributes) {
        String out = fresh(op.toLowerCase(java.util.Locale.ROOT));
        Protobuf node = new Protobuf();
        inputs.forEach(name -> node.string(1, name));
        node.string(2, out).string(3, out).string(4, op);
        for (Attribute a : attributes) {
            node.message(5, encode(a));
        }
        nodes.add(node);
        nodeCount++;
        return out;
    }

    /** Adds a node whose one output is the graph's output {@code name}: an {@code Identity} of {@code value}. */
    void finish(String value, String name) {
        Protobuf node = new Protobuf().string(1, value).string(2, name).string(3, name).string(4, "Identity");
        nodes.add(node);
        nodeCount++;
    }

    int nodeCount() {
        return nodeCount;
    }

    /** How many floats the weights hold. */
    long weights() {
        return weights;
    }

    /**
     * The {@code ModelProto}: IR version {@code irVersion}, the default domain at {@code opset}, this
     * graph, {@code producer} and its version, and {@code metadata} as {@code metadata_props}.
     */
    byte[] model(String graphName, long irVersion, long opset, String producer, String version,
                 Map<String, String> metadata) {
        Protobuf graph = new Protobuf();
        nodes.forEach(node -> graph.message(1, node));
        graph.string(2, graphName);
        initializers.forEach(tensor -> graph.message(5, tensor));
        graph.message(11, input).message(12, output);
        Protobuf model = new Protobuf().varint(1, irVersion).string(2, producer).string(3, version)
                .message(7, graph).message(8, new Protobuf().string(1, "").varint(2, opset));
        metadata.forEach((key, value) -> model.message(14, new Protobuf().string(1, key).string(2, value)));
        return model.toByteArray();
    }

    private String initializer(String name, int type, byte[] data, int... shape) {
        Protobuf tensor = new Protobuf();
        for (int size : shape) {
            tensor.varint(1, size);
        }
        tensor.varint(2, type).string(8, name).bytes(9, data);
        initializers.add(tensor);
        return name;
    }

    /** {@code ValueInfoProto} of a tensor {@code [N, sample…]} of {@code type}. */
    private static Protobuf valueInfo(String name, int[] sample, int type) {
        Protobuf shape = new Protobuf().message(1, new Protobuf().string(2, "N"));
        for (int size : sample) {
            shape.message(1, new Protobuf().varint(1, size));
        }
        Protobuf tensorType = new Protobuf().varint(1, type).message(2, shape);
        return new Protobuf().string(1, name).message(2, new Protobuf().message(1, tensorType));
    }

    /** {@code AttributeProto}: name, the value in the field of its type, and the type (field 20). */
    private static Protobuf encode(Attribute a) {
        Protobuf attribute = new Protobuf().string(1, a.name());
        switch (a.value()) {
            case Integer i -> attribute.varint(3, i).varint(20, 2);
            case Long i -> attribute.varint(3, i).varint(20, 2);
            case Float f -> attribute.float32(2, f).varint(20, 1);
            case String s -> attribute.string(4, s).varint(20, 3);
            case long[] ints -> {
                for (long i : ints) {
                    attribute.varint(8, i);
                }
                attribute.varint(20, 7);
            }
            default -> throw new IllegalArgumentException("attribute " + a.name() + ": unsupported value " + a.value());
        }
        return attribute;
    }

    private String fresh(String what) {
        String base = scope + "." + what;
        int n = names.merge(base, 1, Integer::sum);
        return n == 1 ? base : base + "_" + (n - 1);
    }
}
