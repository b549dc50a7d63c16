package dev.soma.data;

import java.util.List;
import java.util.Locale;

/**
 * An input of a network computed from a 2-D point (x₁, x₂), as TensorFlow Playground offers them:
 * the coordinates, their squares and product (a single neuron on x₁² and x₂² separates the circle),
 * and their sines. The playground trains on them and a model file records which ones it took, so
 * that {@code soma predict --input x1,x2} computes the same inputs.
 */
public enum PointFeature {
    X1("x1", "x₁"),
    X2("x2", "x₂"),
    X1_SQUARED("x1^2", "x₁²"),
    X2_SQUARED("x2^2", "x₂²"),
    X1_X2("x1*x2", "x₁·x₂"),
    SIN_X1("sin(x1)", "sin x₁"),
    SIN_X2("sin(x2)", "sin x₂");

    private final String id;
    private final String label;

    PointFeature(String id, String label) {
        this.id = id;
        this.label = label;
    }

    /** The name files, requests and URLs use: {@code x1}, {@code x1^2}, {@code x1*x2}, {@code sin(x1)}. */
    public String id() {
        return id;
    }

    /** The name a page shows: {@code x₁²}. */
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

    /** The values of {@code features} at (x₁, x₂), in order: one input row of a network. */
    public static float[] row(List<PointFeature> features, float x1, float x2) {
        float[] row = new float[features.size()];
        for (int i = 0; i < row.length; i++) {
            row[i] = features.get(i).apply(x1, x2);
        }
        return row;
    }

    /**
     * The feature called {@code id}, as {@link #id()} spells it or by its constant's name (case ignored).
     *
     * @throws IllegalArgumentException naming the unknown id and the known ones
     */
    public static PointFeature of(String id) {
        for (PointFeature f : values()) {
            if (f.id.equalsIgnoreCase(id) || f.name().equalsIgnoreCase(id)) {
                return f;
            }
        }
        throw new IllegalArgumentException("unknown feature '" + id
                + "' (expected x1, x2, x1^2, x2^2, x1*x2, sin(x1) or sin(x2))");
    }

    @Override
    public String toString() {
        return id.toLowerCase(Locale.ROOT);
    }
}
