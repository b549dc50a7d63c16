package dev.soma.playground;

import java.util.Locale;

/**
 * An input of the network computed from a point (x₁, x₂), as TensorFlow Playground offers them: the
 * coordinates, their squares and product (a single neuron on x₁² and x₂² separates the circle), and
 * their sines.
 */
public enum Feature {
    X1("x1", "x₁"),
    X2("x2", "x₂"),
    X1_SQUARED("x1^2", "x₁²"),
    X2_SQUARED("x2^2", "x₂²"),
    X1_X2("x1*x2", "x₁·x₂"),
    SIN_X1("sin(x1)", "sin x₁"),
    SIN_X2("sin(x2)", "sin x₂");

    private final String id;
    private final String label;

    Feature(String id, String label) {
        this.id = id;
        this.label = label;
    }

    /** The name requests and URLs use: {@code x1}, {@code x1^2}, {@code x1*x2}, {@code sin(x1)}. */
    public String id() {
        return id;
    }

    /** The name the page shows: {@code x₁²}. */
    public String label() {
        return label;
    }

    /** This feature's value at (x₁, x₂). */
    public float apply(float x1, float x2) {
        return switch (this) {
            case X1 -> x1;
            case X2 -> x2;
            case X1_SQUARED -> x1 * x1;
            case X2_SQUARED -> x2 * x2;
            case X1_X2 -> x1 * x2;
            case SIN_X1 -> (float) Math.sin(x1);
            case SIN_X2 -> (float) Math.sin(x2);
        };
    }

    /** The feature called {@code id}, as {@link #id()} spells it (case ignored). */
    public static Feature of(String id) {
        for (Feature f : values()) {
            if (f.id.equalsIgnoreCase(id) || f.name().equalsIgnoreCase(id)) {
                return f;
            }
        }
        throw new PlaygroundException("unknown feature '" + id + "' (expected x1, x2, x1^2, x2^2, x1*x2, sin(x1) or sin(x2))");
    }

    @Override
    public String toString() {
        return id.toLowerCase(Locale.ROOT);
    }
}
