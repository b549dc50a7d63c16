package dev.soma.nn;

import dev.soma.tensor.Tensor;

/** The non-linearities a {@link Neuron} can use, with the symbol its equation prints. */
public enum Activation {
    /** {@code y = z}: no non-linearity (a linear neuron). */
    IDENTITY("", "identity"),
    /** {@code y = max(z, 0)}. */
    RELU("relu", "relu"),
    /** {@code y = σ(z) = 1 / (1 + e⁻ᶻ)}. */
    SIGMOID("σ", "sigmoid"),
    /** {@code y = tanh z}. */
    TANH("tanh", "tanh"),
    /** {@code y = 1 if z ≥ 0 else 0}: the perceptron's hard threshold. */
    STEP("step", "step");

    private final String symbol;
    private final String id;

    Activation(String symbol, String id) {
        this.symbol = symbol;
        this.id = id;
    }

    /** The symbol in printed equations: {@code σ}, {@code tanh}, … (empty for identity). */
    public String symbol() {
        return symbol;
    }

    /** The lower-case name used in command lines and JSON: {@code relu}, {@code sigmoid}, … */
    public String id() {
        return id;
    }

    /** The activation named {@code id} (case-insensitive). */
    public static Activation fromId(String id) {
        for (Activation a : values()) {
            if (a.id.equalsIgnoreCase(id)) {
                return a;
            }
        }
        throw new IllegalArgumentException("unknown activation '" + id + "' (expected identity, relu, sigmoid, tanh or step)");
    }

    /** Applies this activation to every element of {@code z}. */
    public Tensor apply(Tensor z) {
        return switch (this) {
            case IDENTITY -> z;
            case RELU -> z.relu();
            case SIGMOID -> z.sigmoid();
            case TANH -> z.tanh();
            case STEP -> z.ge(Tensor.scalar(0)).toFloat();
        };
    }

    /** Applies this activation to one number, in double, for printing the arithmetic. */
    public double apply(double z) {
        return switch (this) {
            case IDENTITY -> z;
            case RELU -> Math.max(z, 0);
            case SIGMOID -> 1 / (1 + Math.exp(-z));
            case TANH -> Math.tanh(z);
            case STEP -> z >= 0 ? 1 : 0;
        };
    }

    /** This activation as a layer. */
    public Module module() {
        return switch (this) {
            case IDENTITY -> new Identity();
            case RELU -> new ReLU();
            case SIGMOID -> new Sigmoid();
            case TANH -> new Tanh();
            case STEP -> new Step();
        };
    }
}
