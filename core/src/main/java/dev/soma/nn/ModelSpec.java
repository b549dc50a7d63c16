package dev.soma.nn;

import dev.soma.tensor.Generator;
import dev.soma.tensor.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * A network's architecture, without its weights: the shape of one input sample ({@code [C, H, W]} for
 * images, {@code [features]} for vectors) and the specs of its layers, in order, which {@link #build}
 * stacks into a {@link Sequential}. Parameter names are therefore PyTorch's {@code nn.Sequential}
 * ones: {@code 1.weight}, {@code 1.bias}, {@code 3.weight}, …
 *
 * <p>A spec is checked when constructed: each layer must accept the shape the layers before it give
 * ("layer 1 (linear): expects 784 input features, the previous layers give 1568"), and
 * {@link #outputShape} is what comes out. Model files hold it as JSON ({@code dev.soma.io.ModelSpecJson},
 * described for users in docs/MODEL-FILES.md).
 *
 * @param input the shape of one sample, without the batch dimension (copied in and out)
 * @param layers the layers, in order
 */
public record ModelSpec(int[] input, List<LayerSpec> layers) {

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

    /**
     * The architecture of {@code model} on samples of shape {@code input}: the spec of each of its
     * layers ({@link Module#spec()}).
     *
     * @throws IllegalArgumentException naming the first layer that has no spec, or that cannot take
     *     the shape before it
     */
    public static ModelSpec of(int[] input, Sequential model) {
        List<LayerSpec> layers = new ArrayList<>();
        for (int i = 0; i < model.size(); i++) {
            try {
                layers.add(model.get(i).spec());
            } catch (UnsupportedOperationException e) {
                throw new IllegalArgumentException("layer " + i + ": " + e.getMessage(), e);
            }
        }
        return new ModelSpec(input, layers);
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

    /**
     * How many floats the built model's state dict holds, from the layers' hyperparameters
     * ({@link LayerSpec#stateElements}), without building it; {@link Long#MAX_VALUE} when the sum
     * overflows.
     */
    public long stateElements() {
        long total = 0;
        for (LayerSpec layer : layers) {
            long n = layer.stateElements();
            total = total > Long.MAX_VALUE - n ? Long.MAX_VALUE : total + n;
        }
        return total;
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
            model.add(layer.build(generator));
        }
        return model;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ModelSpec s && Arrays.equals(input, s.input) && layers.equals(s.layers);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(input) + layers.hashCode();
    }

    /** {@code ModelSpec[input=[2], layers=[linear{in_features=2, out_features=4, bias=true}, tanh, …]]}. */
    @Override
    public String toString() {
        return "ModelSpec[input=" + Shape.format(input) + ", layers=" + layers.stream()
                .map(l -> l.args().isEmpty() ? l.type() : l.type() + l.args())
                .collect(Collectors.joining(", ", "[", "]")) + "]";
    }
}
