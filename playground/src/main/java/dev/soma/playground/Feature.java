package dev.soma.playground;

import dev.soma.data.PointFeature;

/**
 * An input of the network computed from a point (x₁, x₂): the playground's names for core's
 * {@link PointFeature}, which computes them (and which a downloaded model file records).
 */
public enum Feature {
    X1(PointFeature.X1),
    X2(PointFeature.X2),
    X1_SQUARED(PointFeature.X1_SQUARED),
    X2_SQUARED(PointFeature.X2_SQUARED),
    X1_X2(PointFeature.X1_X2),
    SIN_X1(PointFeature.SIN_X1),
    SIN_X2(PointFeature.SIN_X2);

    private final PointFeature feature;

    Feature(PointFeature feature) {
        this.feature = feature;
    }

    /** The core feature this one is. */
    public PointFeature feature() {
        return feature;
    }

    /** The name requests and URLs use: {@code x1}, {@code x1^2}, {@code x1*x2}, {@code sin(x1)}. */
    public String id() {
        return feature.id();
    }

    /** The name the page shows: {@code x₁²}. */
    public String label() {
        return feature.label();
    }

    /** This feature's value at (x₁, x₂). */
    public float apply(float x1, float x2) {
        return feature.apply(x1, x2);
    }

    /** The feature called {@code id}, as {@link #id()} spells it (case ignored). */
    public static Feature of(String id) {
        try {
            return valueOf(PointFeature.of(id).name());
        } catch (IllegalArgumentException e) {
            throw new PlaygroundException(e.getMessage());
        }
    }

    @Override
    public String toString() {
        return feature.toString();
    }
}
