package dev.soma.nn;

import dev.soma.tensor.Generator;
import java.util.Map;
import java.util.function.Supplier;

/**
 * What a layer is, without its weights: its type and hyperparameters, from which {@link #build}
 * makes the layer anew. A model file stores a network as the specs of its layers ({@link ModelSpec})
 * beside the weights, so a file rebuilds its model alone.
 *
 * <p>Every layer that model files can hold describes itself ({@link Module#spec()}) with a spec
 * record of its own, nested in its class ({@link Linear.Spec}, {@link Conv2d.Spec}, …), and is read
 * back through {@link LayerRegistry}: the one place that maps a type name to the code that reads its
 * hyperparameters. Adding a layer to model files is therefore one class and its tests: the module,
 * its {@code Spec} record and a reader, registered with {@link LayerRegistry#register}. The file format
 * ({@code dev.soma.io}) knows no layer by name; it writes {@link #type} and {@link #args} and reads
 * them back.
 *
 * <p>Specs are values: two specs are equal when they would build equal layers. A spec checks its
 * values when constructed and says which field is wrong ("out_features must be ≥ 1, got 0").
 */
public interface LayerSpec {

    /** The type as model files spell it: {@code linear}, {@code conv2d}, {@code leaky_relu}, … */
    String type();

    /**
     * The hyperparameters, in order, named as PyTorch's constructor arguments ({@code in_features},
     * {@code kernel_size}); values are {@code Integer}, {@code Float}, {@code Boolean} or
     * {@code String}. Every field is written, defaults too, so that a file does not depend on the
     * defaults of the version that reads it.
     */
    default Map<String, Object> args() {
        return Map.of();
    }

    /**
     * The shape of one sample after this layer (the batch dimension left out), given the shape before
     * it. Layers that keep the shape need not override this.
     *
     * @param input the shape of one sample (not modified)
     * @param given how errors name where {@code input} comes from: "the input gives", "the previous
     *     layers give"
     * @throws IllegalArgumentException when this layer cannot take that shape
     */
    default int[] outputShape(int[] input, String given) {
        return input.clone();
    }

    /**
     * How many floats this layer's state dict holds (parameters and buffers), computed from the
     * hyperparameters without building anything: a model file checks a spec against the weights it
     * holds before building a network that could need gigabytes. Layers without state need not
     * override this; a layer with state that does not is counted as 0, which keeps the sum a lower bound.
     */
    default long stateElements() {
        return 0;
    }

    /** A new layer of this spec, its weights (and any random draws, such as dropout's) from {@code generator}. */
    Module build(Generator generator);

    /** A new layer of this spec, initialised from the global generator. */
    default Module build() {
        return build(Generator.global());
    }

    /**
     * The spec of a layer with no hyperparameters ({@code relu}, {@code tanh}): its type and how to
     * make one. Keep the result in a constant, so that every spec of the type is the same object.
     */
    static LayerSpec withoutArgs(String type, Supplier<? extends Module> factory) {
        return new WithoutArgs(type, factory);
    }

    /** A layer with no hyperparameters; see {@link #withoutArgs}. */
    record WithoutArgs(String type, Supplier<? extends Module> factory) implements LayerSpec {
        @Override
        public Module build(Generator generator) {
            return factory.get();
        }

        @Override
        public String toString() {
            return type + "()";
        }
    }
}
