package dev.soma.nn;

import dev.soma.tensor.Shape;
import java.util.ArrayList;
import java.util.List;

/**
 * Soma's built-in architectures, sized to the data: what {@code soma train --model mlp} and
 * {@code --model cnn} train. Each is a {@link ModelSpec}, so it builds, saves and loads like any
 * other.
 */
public final class Models {

    private static final List<String> NAMES = List.of("mlp", "cnn");

    private Models() {}

    /** The names {@link #named} knows: {@code mlp}, {@code cnn}. */
    public static List<String> names() {
        return NAMES;
    }

    /**
     * The built-in architecture {@code name} for {@code input} and {@code numClasses}.
     *
     * @throws IllegalArgumentException for an unknown name, a class count below 1, or an input the
     *     architecture cannot take
     */
    public static ModelSpec named(String name, int[] input, int numClasses) {
        return switch (name) {
            case "mlp" -> mlp(input, numClasses);
            case "cnn" -> cnn(input, numClasses);
            default -> throw new IllegalArgumentException("unknown model '" + name + "'; built-in models: "
                    + String.join(", ", NAMES));
        };
    }

    /** The built-in architecture {@code name} for MNIST-sized images: input {@code [1, 28, 28]}, 10 classes. */
    public static ModelSpec forMnist(String name) {
        return named(name, new int[] {1, 28, 28}, 10);
    }

    /**
     * Flatten (left out for a vector input), linear → 256, relu, linear 256 → 128, relu, linear 128 →
     * classes. For {@code [1, 28, 28]} its parameters are {@code 1.weight} {@code [256, 784]}, …,
     * {@code 5.bias}; for {@code [2]}, {@code 0.weight} {@code [256, 2]}, ….
     */
    public static ModelSpec mlp(int[] input, int numClasses) {
        requireClasses(numClasses);
        List<LayerSpec> layers = new ArrayList<>();
        if (input.length > 1) {
            layers.add(new Flatten.Spec(1, -1));
        }
        layers.add(new Linear.Spec(Shape.numel(input), 256));
        layers.add(ReLU.SPEC);
        layers.add(new Linear.Spec(256, 128));
        layers.add(ReLU.SPEC);
        layers.add(new Linear.Spec(128, numClasses));
        return new ModelSpec(input, layers);
    }

    /**
     * Conv 3×3 (padding 1) → 16 channels, relu, max-pool 2, conv 3×3 16 → 32, relu, max-pool 2,
     * flatten, linear 32·⌊H/4⌋·⌊W/4⌋ → 128, relu, linear 128 → classes; images {@code [C, H, W]} with
     * H, W ≥ 4. Parameters {@code 0.*}, {@code 3.*}, {@code 7.*}, {@code 9.*}.
     */
    public static ModelSpec cnn(int[] input, int numClasses) {
        requireClasses(numClasses);
        if (input.length != 3 || input[1] < 4 || input[2] < 4) {
            throw new IllegalArgumentException("cnn needs images [C, H, W] with H and W ≥ 4, got " + Shape.format(input));
        }
        return new ModelSpec(input, List.of(
                new Conv2d.Spec(input[0], 16, 3).padding(1), ReLU.SPEC, new MaxPool2d.Spec(2),
                new Conv2d.Spec(16, 32, 3).padding(1), ReLU.SPEC, new MaxPool2d.Spec(2),
                new Flatten.Spec(1, -1),
                new Linear.Spec(32 * (input[1] / 4) * (input[2] / 4), 128), ReLU.SPEC,
                new Linear.Spec(128, numClasses)));
    }

    private static void requireClasses(int numClasses) {
        if (numClasses < 1) {
            throw new IllegalArgumentException("a model needs at least 1 class, got " + numClasses);
        }
    }
}
