package dev.soma.data;

import dev.soma.tensor.Tensor;

/**
 * The lesson's small datasets: the four corners of the unit square labelled by a logic gate. Inputs
 * {@code [4, 2]} in the order (0,0), (0,1), (1,0), (1,1); targets {@code [4]} of 0 or 1.
 */
public final class ToyData {

    private ToyData() {
    }

    /** The four corners of the unit square. */
    public static Tensor corners() {
        return Tensor.matrix(new float[][] {{0, 0}, {0, 1}, {1, 0}, {1, 1}});
    }

    /** x₁ AND x₂: 1 only at (1,1). Linearly separable. */
    public static TensorDataset and() {
        return gate(0, 0, 0, 1);
    }

    /** x₁ OR x₂. Linearly separable. */
    public static TensorDataset or() {
        return gate(0, 1, 1, 1);
    }

    /** NOT (x₁ AND x₂). Linearly separable. */
    public static TensorDataset nand() {
        return gate(1, 1, 1, 0);
    }

    /** x₁ XOR x₂: 1 where the inputs differ. Not linearly separable: no line splits it. */
    public static TensorDataset xor() {
        return gate(0, 1, 1, 0);
    }

    /** The gate named {@code name}: and, or, nand or xor. */
    public static TensorDataset gate(String name) {
        return switch (name) {
            case "and" -> and();
            case "or" -> or();
            case "nand" -> nand();
            case "xor" -> xor();
            default -> throw new IllegalArgumentException("unknown gate '" + name + "' (expected and, or, nand or xor)");
        };
    }

    private static TensorDataset gate(float y00, float y01, float y10, float y11) {
        return new TensorDataset(corners(), Tensor.vector(y00, y01, y10, y11));
    }
}
