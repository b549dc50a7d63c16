package dev.soma.nn;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The one map from a layer's type name ({@code "linear"}) to the code that reads its spec from a
 * model file: what Keras's {@code register_keras_serializable} is to its saved models. Soma's own
 * layers are registered here; a user's layer is registered once, before its files are read:
 *
 * <pre>
 * LayerRegistry.register("scale", Scale.Spec::read);   // Spec::read: LayerArgs → Scale.Spec
 * ModelFile.save(file, model, ModelSpec.of(input, model), classes, Map.of());
 * ModelFile.load(file);                                 // rebuilds the Scale layers too
 * </pre>
 *
 * Safe to use from several threads.
 */
public final class LayerRegistry {

    /** Reads a layer's spec from its hyperparameters. */
    @FunctionalInterface
    public interface Reader {
        /**
         * The spec that {@code args} describe.
         *
         * @throws IllegalArgumentException naming the field that is missing, ill-typed or out of range
         */
        LayerSpec read(LayerArgs args);
    }

    private static final Map<String, Reader> READERS = new LinkedHashMap<>();

    static {
        register("linear", Linear.Spec::read);
        register("conv2d", Conv2d.Spec::read);
        register("maxpool2d", MaxPool2d.Spec::read);
        register("avgpool2d", AvgPool2d.Spec::read);
        register("batchnorm1d", BatchNorm1d.Spec::read);
        register("batchnorm2d", BatchNorm2d.Spec::read);
        register("relu", _ -> ReLU.SPEC);
        register("sigmoid", _ -> Sigmoid.SPEC);
        register("tanh", _ -> Tanh.SPEC);
        register("leaky_relu", LeakyReLU.Spec::read);
        register("gelu", _ -> GELU.SPEC);
        register("softmax", Softmax.Spec::read);
        register("log_softmax", LogSoftmax.Spec::read);
        register("dropout", Dropout.Spec::read);
        register("flatten", Flatten.Spec::read);
        register("identity", _ -> Identity.SPEC);
        register("layernorm", LayerNorm.Spec::read);
        register("embedding", Embedding.Spec::read);
        register("softplus", Softplus.Spec::read);
        register("dropout2d", Dropout2d.Spec::read);
        register("unflatten", Unflatten.Spec::read);
        register("adaptive_avgpool2d", AdaptiveAvgPool2d.Spec::read);
        register("conv1d", Conv1d.Spec::read);
        register("conv_transpose2d", ConvTranspose2d.Spec::read);
    }

    private LayerRegistry() {}

    /**
     * Makes model files able to hold layers of {@code type}, read by {@code reader}. Registering the
     * same reader again does nothing.
     *
     * @throws IllegalArgumentException when {@code type} is blank or already has another reader
     */
    public static synchronized void register(String type, Reader reader) {
        Objects.requireNonNull(reader, "reader");
        if (type == null || type.isBlank()) {
            throw new IllegalArgumentException("a layer type needs a name, got '" + type + "'");
        }
        Reader known = READERS.putIfAbsent(type, reader);
        if (known != null && known != reader) {
            throw new IllegalArgumentException("layer type '" + type + "' is already registered");
        }
    }

    /** Whether layers of {@code type} can be read. */
    public static synchronized boolean isRegistered(String type) {
        return READERS.containsKey(type);
    }

    /** The registered types, Soma's own first, then in the order they were registered. */
    public static synchronized List<String> types() {
        return new ArrayList<>(READERS.keySet());
    }

    /**
     * The spec of a layer of {@code type} with the hyperparameters {@code args}; every field of
     * {@code args} must be one the layer reads.
     *
     * @throws IllegalArgumentException for an unknown type (listing the known ones), or naming the
     *     field that is missing, ill-typed, out of range or unknown
     */
    public static LayerSpec read(String type, LayerArgs args) {
        Reader reader;
        synchronized (LayerRegistry.class) {
            reader = READERS.get(type);
        }
        if (reader == null) {
            throw new IllegalArgumentException("unknown type '" + type + "'; known types: " + String.join(", ", types()));
        }
        LayerSpec spec = reader.read(args);
        args.checkAllRead();
        return spec;
    }
}
