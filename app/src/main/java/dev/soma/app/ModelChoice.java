package dev.soma.app;

import dev.soma.io.ModelSpec;
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
        if (ModelSpec.builtinNames().contains(model)) {
            return ModelSpec.forInput(model, inputShape, classes);
        }
        if (!model.endsWith(".json")) {
            throw new IllegalArgumentException("--model: '" + model + "' is neither a built-in model ("
                    + String.join(", ", ModelSpec.builtinNames()) + ") nor a model spec file (.json)");
        }
        ModelSpec spec = ModelSpec.read(Path.of(model));
        if (!Arrays.equals(spec.input(), inputShape)) {
            throw new IllegalArgumentException(model + " takes inputs of shape " + Shape.format(spec.input())
                    + " but the data's inputs have shape " + Shape.format(inputShape));
        }
        if (spec.numClasses() != classes) {
            throw new IllegalArgumentException(model + " has " + spec.numClasses() + " outputs but the data has "
                    + classes + " classes");
        }
        return spec;
    }
}
