package dev.soma.io;

import dev.soma.nn.AvgPool2d;
import dev.soma.nn.BatchNorm1d;
import dev.soma.nn.BatchNorm2d;
import dev.soma.nn.Conv2d;
import dev.soma.nn.Dropout;
import dev.soma.nn.Flatten;
import dev.soma.nn.GELU;
import dev.soma.nn.Identity;
import dev.soma.nn.LeakyReLU;
import dev.soma.nn.Linear;
import dev.soma.nn.LogSoftmax;
import dev.soma.nn.MaxPool2d;
import dev.soma.nn.Module;
import dev.soma.nn.ReLU;
import dev.soma.nn.Sequential;
import dev.soma.nn.Sigmoid;
import dev.soma.nn.Softmax;
import dev.soma.nn.Tanh;
import dev.soma.tensor.Generator;
import dev.soma.tensor.Shape;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A network's architecture, so that a model file can rebuild its model alone: the shape of one input
 * sample ({@code [C, H, W]} for images, {@code [features]} for vectors) and the layers, in order, that
 * {@link #build} stacks into a {@link Sequential}. Parameter names are therefore PyTorch's
 * {@code nn.Sequential} ones: {@code 1.weight}, {@code 1.bias}, {@code 3.weight}, …
 *
 * <p>As JSON ({@link #toJson}, {@link #fromJson}, {@link #read}):
 *
 * <pre>
 * {"format": "soma-model/1", "input": [1, 28, 28],
 *  "layers": [{"type": "flatten", "start_dim": 1, "end_dim": -1},
 *             {"type": "linear", "in_features": 784, "out_features": 256, "bias": true},
 *             {"type": "relu"}, …]}
 * </pre>
 *
 * <p>A spec is checked when constructed: each layer must accept the shape the layers before it give
 * ("layer 1 (linear): expects 784 input features, the previous layers give 1568"), and
 * {@link #outputShape} is what comes out.
 *
 * @param input the shape of one sample, without the batch dimension (copied in and out)
 * @param layers the layers, in order
 */
public record ModelSpec(int[] input, List<LayerSpec> layers) {

    /** The value of the JSON {@code format} field this version reads and writes. */
    public static final String FORMAT = "soma-model/1";
    private static final List<String> BUILTINS = List.of("mlp", "cnn");

    /**
     * @throws IllegalArgumentException for an empty input shape or a size below 1, or a layer that
     *     cannot take the shape before it (the message names the layer's index and type)
     */
    public ModelSpec {
        Objects.requireNonNull(input, "input");
        input = input.clone();
        if (input.length == 0 || Arrays.stream(input).anyMatch(size -> size < 1)) {
            throw new IllegalArgumentException("input must be a shape of sizes ≥ 1 such as [1, 28, 28] or [2], got "
                    + Shape.format(input));
        }
        layers = List.copyOf(layers);
        propagate(input, layers);
    }

    @Override
    public int[] input() {
        return input.clone();
    }

    /** The shape of one sample after every layer: {@code [10]} for a 10-class classifier. */
    public int[] outputShape() {
        return propagate(input, layers);
    }

    /**
     * The number of outputs, for a spec whose output is a vector (a classifier's class scores).
     *
     * @throws IllegalStateException when the output has more than one dimension
     */
    public int numClasses() {
        int[] out = outputShape();
        if (out.length != 1) {
            throw new IllegalStateException("the output " + Shape.format(out) + " is not a vector of class scores");
        }
        return out[0];
    }

    private static int[] propagate(int[] input, List<LayerSpec> layers) {
        int[] shape = input;
        for (int i = 0; i < layers.size(); i++) {
            LayerSpec layer = Objects.requireNonNull(layers.get(i), "layer " + i);
            try {
                shape = layer.outputShape(shape, i == 0 ? "the input gives" : "the previous layers give");
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("layer " + i + " (" + layer.type() + "): " + e.getMessage(), e);
            }
        }
        return shape;
    }

    /**
     * A new model of this architecture: a {@link Sequential} of the layers, in training mode,
     * initialised (and with dropout masks drawn) from {@code generator}.
     */
    public Sequential build(Generator generator) {
        Sequential model = new Sequential();
        for (LayerSpec layer : layers) {
            model.add(module(layer, generator));
        }
        return model;
    }

    private static Module module(LayerSpec layer, Generator generator) {
        return switch (layer) {
            case LayerSpec.Linear l -> new Linear(l.inFeatures(), l.outFeatures(), l.bias(), generator);
            case LayerSpec.Conv2d c -> new Conv2d(c.inChannels(), c.outChannels(), c.kernelSize(), c.stride(),
                    c.padding(), c.dilation(), c.bias(), generator);
            case LayerSpec.MaxPool2d p -> new MaxPool2d(p.kernelSize(), p.stride(), p.padding());
            case LayerSpec.AvgPool2d p -> new AvgPool2d(p.kernelSize(), p.stride(), p.padding());
            case LayerSpec.BatchNorm1d b -> new BatchNorm1d(b.numFeatures());
            case LayerSpec.BatchNorm2d b -> new BatchNorm2d(b.numFeatures());
            case LayerSpec.ReLU _ -> new ReLU();
            case LayerSpec.Sigmoid _ -> new Sigmoid();
            case LayerSpec.Tanh _ -> new Tanh();
            case LayerSpec.LeakyReLU l -> new LeakyReLU(l.negativeSlope());
            case LayerSpec.GELU _ -> new GELU();
            case LayerSpec.Softmax s -> new Softmax(s.dim());
            case LayerSpec.LogSoftmax s -> new LogSoftmax(s.dim());
            case LayerSpec.Dropout d -> new Dropout(d.p(), generator);
            case LayerSpec.Flatten f -> new Flatten(f.startDim(), f.endDim());
            case LayerSpec.Identity _ -> new Identity();
        };
    }

    // ---------------------------------------------------------------- built-in architectures

    /** The names {@link #builtin} and {@link #forInput} know: {@code mlp}, {@code cnn}. */
    public static List<String> builtinNames() {
        return BUILTINS;
    }

    /** A built-in architecture for MNIST-sized images: input {@code [1, 28, 28]}, 10 classes. */
    public static ModelSpec builtin(String name) {
        return forInput(name, new int[] {1, 28, 28}, 10);
    }

    /**
     * A built-in architecture for {@code input} and {@code numClasses}:
     *
     * <ul>
     *   <li>{@code mlp}: flatten (left out for a vector input), linear → 256, relu, linear 256 → 128,
     *       relu, linear 128 → classes. For {@code [1, 28, 28]} its parameters are {@code 1.weight}
     *       {@code [256, 784]}, …, {@code 5.bias}; for {@code [2]}, {@code 0.weight} {@code [256, 2]}, ….
     *   <li>{@code cnn}: conv 3×3 (padding 1) → 16 channels, relu, max-pool 2, conv 3×3 16 → 32, relu,
     *       max-pool 2, flatten, linear 32·⌊H/4⌋·⌊W/4⌋ → 128, relu, linear 128 → classes; images
     *       {@code [C, H, W]} with H, W ≥ 4. Parameters {@code 0.*}, {@code 3.*}, {@code 7.*}, {@code 9.*}.
     * </ul>
     *
     * @throws IllegalArgumentException for an unknown name, a class count below 1, or an input the
     *     architecture cannot take
     */
    public static ModelSpec forInput(String name, int[] input, int numClasses) {
        if (numClasses < 1) {
            throw new IllegalArgumentException("a model needs at least 1 class, got " + numClasses);
        }
        List<LayerSpec> layers = new ArrayList<>();
        switch (name) {
            case "mlp" -> {
                if (input.length > 1) {
                    layers.add(new LayerSpec.Flatten(1, -1));
                }
                layers.add(new LayerSpec.Linear(Shape.numel(input), 256, true));
                layers.add(new LayerSpec.ReLU());
                layers.add(new LayerSpec.Linear(256, 128, true));
                layers.add(new LayerSpec.ReLU());
                layers.add(new LayerSpec.Linear(128, numClasses, true));
            }
            case "cnn" -> {
                if (input.length != 3 || input[1] < 4 || input[2] < 4) {
                    throw new IllegalArgumentException("cnn needs images [C, H, W] with H and W ≥ 4, got "
                            + Shape.format(input));
                }
                layers.add(new LayerSpec.Conv2d(input[0], 16, 3, 1, 1, 1, true));
                layers.add(new LayerSpec.ReLU());
                layers.add(new LayerSpec.MaxPool2d(2, 2, 0));
                layers.add(new LayerSpec.Conv2d(16, 32, 3, 1, 1, 1, true));
                layers.add(new LayerSpec.ReLU());
                layers.add(new LayerSpec.MaxPool2d(2, 2, 0));
                layers.add(new LayerSpec.Flatten(1, -1));
                layers.add(new LayerSpec.Linear(32 * (input[1] / 4) * (input[2] / 4), 128, true));
                layers.add(new LayerSpec.ReLU());
                layers.add(new LayerSpec.Linear(128, numClasses, true));
            }
            default -> throw new IllegalArgumentException("unknown model '" + name + "'; built-in models: "
                    + String.join(", ", BUILTINS));
        }
        return new ModelSpec(input, layers);
    }

    // ---------------------------------------------------------------- JSON

    /** This spec as compact JSON, every field written out (defaults too). */
    public String toJson() {
        return Json.write(ModelSpecJson.toTree(this));
    }

    /**
     * The spec in {@code json}.
     *
     * @throws IllegalArgumentException naming the layer index and field for a missing, ill-typed or
     *     unknown field or type, and for shapes that do not fit (as the constructor)
     */
    public static ModelSpec fromJson(String json) {
        return ModelSpecJson.fromTree(Json.parse(json));
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

    @Override
    public boolean equals(Object other) {
        return other instanceof ModelSpec s && Arrays.equals(input, s.input) && layers.equals(s.layers);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(input) + layers.hashCode();
    }

    @Override
    public String toString() {
        return toJson();
    }
}
