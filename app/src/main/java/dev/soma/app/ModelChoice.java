package dev.soma.app;

import dev.soma.io.ModelSpecJson;
import dev.soma.nn.ModelSpec;
import dev.soma.nn.Models;
import dev.soma.tensor.Shape;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;

/** What {@code --model} names: a built-in architecture sized to the data, or a spec file. */
final class ModelChoice {

    private ModelChoice() {
    }

    /**
     * The spec for {@code model} ({@code mlp}, {@code cnn} or a JSON spec file) on inputs of
     * {@code inputShape} with {@code classes} classes; a spec file must agree with the data.
     */
    static ModelSpec resolve(String model, int[] inputShape, int classes) throws IOException {
        if (Models.names().contains(model)) {
            return Models.named(model, inputShape, classes);
        }
        if (!model.endsWith(".json")) {
            throw new IllegalArgumentException("--model: '" + model + "' is neither a built-in model ("
                    + String.join(", ", Models.names()) + ") nor a model spec file (.json)");
        }
        ModelSpec spec = ModelSpecJson.read(Path.of(model));
        requireFits(model, spec, "the data", inputShape, classes);
        return spec;
    }

    /** Rejects a model ({@code what}: its file or name) whose input shape or output count does not fit the data. */
    static void requireFits(String what, ModelSpec spec, String data, int[] inputShape, int classes) {
        if (!Arrays.equals(spec.input(), inputShape)) {
            throw new IllegalArgumentException(what + " takes inputs of shape " + Shape.format(spec.input())
                    + " but " + data + " has inputs of shape " + Shape.format(inputShape));
        }
        if (spec.numClasses() != classes) {
            throw new IllegalArgumentException(what + " has " + spec.numClasses() + " outputs but " + data + " has "
                    + classes + " classes");
        }
    }
}
