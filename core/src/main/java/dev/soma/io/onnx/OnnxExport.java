package dev.soma.io.onnx;

import static dev.soma.io.onnx.OnnxGraph.attribute;

import dev.soma.data.PointFeature;
import dev.soma.io.AtomicFiles;
import dev.soma.io.ModelFile;
import dev.soma.io.ModelSpecJson;
import dev.soma.io.Preprocessing;
import dev.soma.io.PreprocessingJson;
import dev.soma.nn.Embedding;
import dev.soma.nn.LayerSpec;
import dev.soma.nn.ModelSpec;
import dev.soma.nn.Module;
import dev.soma.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A Soma model as an ONNX file (opset {@value #OPSET}, IR version {@value #IR_VERSION}), for
 * onnxruntime and every other ONNX runtime: the same outputs as Soma's evaluation mode.
 *
 * <pre>
 * OnnxExport.write(ModelFile.load(Path.of("cnn.safetensors")), Path.of("cnn.onnx"));
 * </pre>
 *
 * <p>The graph takes what a user has, not what the network takes: the input preprocessing the model
 * file records ({@link Preprocessing}) is part of it.
 *
 * <ul>
 *   <li>Pictures: input {@code pixels [N, C, H, W]}, floats in [0, 1] (a decoder's bytes / 255), then
 *       {@code · 255/divisor} when the recorded divisor is not 255, then {@code (x − mean[c]) / std[c]}
 *       when the file records a normalisation. Resizing and inverting a light background (what
 *       {@code soma predict} also does) are the caller's.
 *   <li>Points: input {@code points [N, 2]}, (x₁, x₂), then the recorded features (x₁², sin x₁, …)
 *       computed in the graph and joined in the file's order.
 *   <li>Anything else: input {@code input [N, …]}, the spec's input shape, taken as given.
 * </ul>
 *
 * The output, {@code output [N, …]}, is the network's: class scores (logits) for the models
 * {@code soma train} makes, whatever the last layer gives otherwise. The batch dimension N is left
 * open. Weights are initializers under their state-dict names; the file's metadata
 * ({@code metadata_props}) holds {@code soma.spec}, {@code soma.input} and, from a model file,
 * {@code soma.classes}. ONNX's protobuf wire format is written directly ({@link Protobuf}).
 */
public final class OnnxExport {

    /** The ONNX operator set the graph uses (the first with {@code LayerNormalization}). */
    public static final int OPSET = 17;
    /** The ONNX IR version that goes with opset 17. */
    public static final int IR_VERSION = 8;
    /** Protocol buffers are at most 2 GiB; weights beyond would need ONNX's external data, not written. */
    private static final long MAX_BYTES = Integer.MAX_VALUE;

    /**
     * What an export wrote.
     *
     * @param input the graph's input name ({@code pixels}, {@code points} or {@code input})
     * @param inputShape its shape without the batch dimension
     * @param output the graph's output name ({@code output})
     * @param outputShape its shape without the batch dimension
     * @param nodes how many operators the graph holds
     * @param weights how many floats its initializers hold
     * @param bytes the size of the file
     */
    public record Summary(String input, int[] inputShape, String output, int[] outputShape, int nodes, long weights,
            long bytes) {
    }

    private OnnxExport() {
    }

    /**
     * Writes {@code modelFile}'s model as ONNX to {@code path}, atomically, with the inputs its file
     * records and its class names.
     *
     * @throws IllegalArgumentException naming the first layer with no ONNX form, or for preprocessing
     *     that does not fit the model
     * @throws IOException when the file cannot be written
     */
    public static Summary write(ModelFile modelFile, Path path) throws IOException {
        Map<String, String> metadata = new LinkedHashMap<>();
        String classes = modelFile.metadata().get(ModelFile.CLASSES_KEY);
        if (classes != null) {
            metadata.put(ModelFile.CLASSES_KEY, classes);
        }
        return write(modelFile.model(), modelFile.spec(), modelFile.input(), metadata, path);
    }

    /**
     * Writes {@code model} (of architecture {@code spec}; not modified) as ONNX to {@code path},
     * atomically, its inputs made as {@code input} describes.
     *
     * @throws IllegalArgumentException naming the first layer with no ONNX form, or for preprocessing
     *     that does not fit the model
     * @throws IOException when the file cannot be written
     */
    public static Summary write(Module model, ModelSpec spec, Preprocessing input, Path path) throws IOException {
        return write(model, spec, input, Map.of(), path);
    }

    private static Summary write(Module model, ModelSpec spec, Preprocessing input, Map<String, String> metadata,
            Path path) throws IOException {
        Export export = export(model, spec, input, metadata);
        AtomicFiles.write(path, "ONNX model to " + path, export.bytes());
        return export.summary();
    }

    /**
     * The ONNX file of {@code model} (not modified) as bytes, as {@link #write} would write them.
     *
     * @throws IllegalArgumentException as {@link #write}
     */
    public static byte[] toBytes(Module model, ModelSpec spec, Preprocessing input) {
        return export(model, spec, input, Map.of()).bytes();
    }

    /** A file's bytes and what they hold. */
    private record Export(byte[] bytes, Summary summary) {
    }

    private static Export export(Module model, ModelSpec spec, Preprocessing input, Map<String, String> extra) {
        input.checkFits(spec);
        if (spec.stateElements() > MAX_BYTES / 4) {
            throw new IllegalArgumentException(String.format("the model's %,d weights exceed ONNX's 2 GiB for one file"
                    + " (external data is not written)", spec.stateElements()));
        }
        Map<String, Tensor> state = model.stateDict();
        OnnxGraph graph = new OnnxGraph();
        String name = switch (input.kind()) {
            case IMAGES -> "pixels";
            case POINTS -> "points";
            case VECTOR -> "input";
        };
        int[] given = input.kind() == Preprocessing.Kind.POINTS ? new int[] {2} : spec.input();
        // NOTE: an embedding takes int64 indices (float ones are refused), so a model that starts with one does too
        boolean indices = input.kind() == Preprocessing.Kind.VECTOR && !spec.layers().isEmpty()
                && spec.layers().getFirst() instanceof Embedding.Spec;
        graph.input(name, given, indices ? OnnxGraph.INT64 : OnnxGraph.FLOAT);
        String x = preprocess(graph, input, name);
        int[] shape = spec.input();
        OnnxLayers layers = new OnnxLayers(graph, state, indices ? name : null);
        List<LayerSpec> specs = spec.layers();
        for (int i = 0; i < specs.size(); i++) {
            LayerSpec layer = specs.get(i);
            try {
                x = layers.emit(i, layer, shape, x);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("layer " + i + " (" + layer.type() + "): " + e.getMessage(), e);
            }
            shape = layer.outputShape(shape, "the previous layers give");
        }
        graph.output("output", shape);
        graph.finish(x, "output");
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put(ModelFile.SPEC_KEY, ModelSpecJson.toJson(spec));
        metadata.put(Preprocessing.KEY, PreprocessingJson.toJson(input));
        metadata.putAll(extra);
        String version = OnnxExport.class.getPackage().getImplementationVersion();
        byte[] bytes = graph.model("soma", IR_VERSION, OPSET, "soma", version == null ? "unknown" : version, metadata);
        return new Export(bytes, new Summary(name, given, "output", shape, graph.nodeCount(), graph.weights(),
                bytes.length));
    }

    /** The nodes that make the network's input from the graph's input {@code x}; returns the last one's name. */
    private static String preprocess(OnnxGraph graph, Preprocessing input, String x) {
        graph.scope("input");
        switch (input.kind()) {
            case IMAGES -> {
                int channels = input.channels();
                if (input.divisor() != 255) {
                    x = graph.node("Mul", List.of(x, graph.constant("rescale", new float[] {(float) (255 / input.divisor())})));
                }
                if (input.normalizes()) {
                    x = graph.node("Sub", List.of(x, graph.constant("mean", input.meanValues(), channels, 1, 1)));
                    x = graph.node("Div", List.of(x, graph.constant("std", input.stdValues(), channels, 1, 1)));
                }
                return x;
            }
            case POINTS -> {
                String x1 = column(graph, x, 0);
                String x2 = column(graph, x, 1);
                List<String> features = new ArrayList<>();
                for (PointFeature feature : input.features()) {
                    features.add(switch (feature) {
                        case X1 -> x1;
                        case X2 -> x2;
                        case X1_SQUARED -> graph.node("Mul", List.of(x1, x1));
                        case X2_SQUARED -> graph.node("Mul", List.of(x2, x2));
                        case X1_X2 -> graph.node("Mul", List.of(x1, x2));
                        case SIN_X1 -> graph.node("Sin", List.of(x1));
                        case SIN_X2 -> graph.node("Sin", List.of(x2));
                    });
                }
                return graph.node("Concat", features, attribute("axis", 1));
            }
            default -> {
                return x;
            }
        }
    }

    /** Column {@code c} of points {@code [N, 2]}, as {@code [N, 1]}. */
    private static String column(OnnxGraph graph, String points, int c) {
        return graph.node("Slice", List.of(points, graph.int64s("start", c), graph.int64s("end", c + 1),
                graph.int64s("axis", 1)));
    }
}
