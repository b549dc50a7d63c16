package dev.soma.data;

import dev.soma.tensor.Generator;
import dev.soma.tensor.Tensor;
import java.util.List;

/**
 * Two-dimensional toy problems for the command line and the playground, after the TensorFlow
 * Playground and scikit-learn's {@code make_moons}. Each gives {@code n} points, inputs {@code [n, 2]}
 * and int64 targets {@code [n]} holding class 0 or 1, with independent Gaussian noise of standard deviation
 * {@code noise} added to each coordinate. Point i belongs to class {@code i % 2} (the gates: corner
 * {@code i % 4}), so the classes are balanced; the same generator seed gives the same points.
 *
 * <pre>
 * and, or, xor  clouds around the corners (0,0), (0,1), (1,0), (1,1), labelled by the gate
 * circle        class 0 uniform in the disc r ≤ 0.5; class 1 uniform in the ring 0.7 ≤ r ≤ 1
 * spiral        class k on r = t, θ = 3.5π·t + kπ, t evenly spaced in [0, 1]: 1¾ turns each
 * gaussians     class 0 around (-1, -1), class 1 around (1, 1); the noise is the blobs' std
 * moons         class 0 on (cos t, sin t), class 1 on (1 - cos t, 0.5 - sin t), t evenly in [0, π]
 * </pre>
 */
public final class ToySets {

    /** The names {@link #of} accepts. */
    public static final List<String> NAMES = List.of("and", "or", "xor", "circle", "spiral", "gaussians", "moons");

    private ToySets() {
    }

    /** The toy set called {@code name}; one of {@link #NAMES}. */
    public static TensorDataset of(String name, int n, double noise, Generator generator) {
        return switch (name) {
            case "and" -> and(n, noise, generator);
            case "or" -> or(n, noise, generator);
            case "xor" -> xor(n, noise, generator);
            case "circle" -> circle(n, noise, generator);
            case "spiral" -> spiral(n, noise, generator);
            case "gaussians" -> gaussians(n, noise, generator);
            case "moons" -> moons(n, noise, generator);
            default -> throw new IllegalArgumentException("unknown toy data set '" + name + "' (expected one of "
                    + String.join(", ", NAMES) + ")");
        };
    }

    /** Label 1 only around (1, 1). */
    public static TensorDataset and(int n, double noise, Generator generator) {
        return gate(n, noise, generator, 0, 0, 0, 1);
    }

    /** Label 1 except around (0, 0). */
    public static TensorDataset or(int n, double noise, Generator generator) {
        return gate(n, noise, generator, 0, 1, 1, 1);
    }

    /** Label 1 around (0, 1) and (1, 0): not linearly separable. */
    public static TensorDataset xor(int n, double noise, Generator generator) {
        return gate(n, noise, generator, 0, 1, 1, 0);
    }

    /** An inner disc (class 0, r ≤ 0.5) inside a ring (class 1, 0.7 ≤ r ≤ 1), both uniform in area. */
    public static TensorDataset circle(int n, double noise, Generator generator) {
        Points points = new Points(n, noise, generator);
        for (int i = 0; i < n; i++) {
            int label = i % 2;
            // uniform in area between radii a and b: r² uniform in [a², b²]
            double a = label == 0 ? 0 : 0.7;
            double b = label == 0 ? 0.5 : 1;
            double r = Math.sqrt(a * a + (b * b - a * a) * generator.nextDouble());
            double angle = 2 * Math.PI * generator.nextDouble();
            points.set(i, r * Math.cos(angle), r * Math.sin(angle), label);
        }
        return points.dataset();
    }

    /** Two interleaved spirals, class k on r = t, θ = 3.5π·t + kπ. */
    public static TensorDataset spiral(int n, double noise, Generator generator) {
        Points points = new Points(n, noise, generator);
        int perClass = (n + 1) / 2;
        for (int i = 0; i < n; i++) {
            int label = i % 2;
            double t = perClass == 1 ? 0 : (double) (i / 2) / (perClass - 1);
            double angle = 3.5 * Math.PI * t + label * Math.PI;
            points.set(i, t * Math.cos(angle), t * Math.sin(angle), label);
        }
        return points.dataset();
    }

    /** Two Gaussian blobs of standard deviation {@code noise}, centred at (-1, -1) and (1, 1). */
    public static TensorDataset gaussians(int n, double noise, Generator generator) {
        Points points = new Points(n, noise, generator);
        for (int i = 0; i < n; i++) {
            int label = i % 2;
            double centre = label == 0 ? -1 : 1;
            points.set(i, centre, centre, label);
        }
        return points.dataset();
    }

    /** Two interleaving half circles, as scikit-learn's {@code make_moons}. */
    public static TensorDataset moons(int n, double noise, Generator generator) {
        Points points = new Points(n, noise, generator);
        int perClass = (n + 1) / 2;
        for (int i = 0; i < n; i++) {
            int label = i % 2;
            double t = perClass == 1 ? 0 : Math.PI * (i / 2) / (perClass - 1);
            if (label == 0) {
                points.set(i, Math.cos(t), Math.sin(t), 0);
            } else {
                points.set(i, 1 - Math.cos(t), 0.5 - Math.sin(t), 1);
            }
        }
        return points.dataset();
    }

    private static TensorDataset gate(int n, double noise, Generator generator, int... outputs) {
        Points points = new Points(n, noise, generator);
        for (int i = 0; i < n; i++) {
            int corner = i % 4;
            points.set(i, corner >> 1, corner & 1, outputs[corner]);
        }
        return points.dataset();
    }

    /** The points under construction: each placed, then moved by the noise. */
    private static final class Points {
        final float[] inputs;
        final long[] targets;
        final double noise;
        final Generator generator;

        Points(int n, double noise, Generator generator) {
            if (n < 0) {
                throw new IllegalArgumentException("ToySets: the number of points must be >= 0, got " + n);
            }
            if (!(noise >= 0) || Double.isInfinite(noise)) {
                throw new IllegalArgumentException("ToySets: noise must be a finite number >= 0, got " + noise);
            }
            this.inputs = new float[2 * n];
            this.targets = new long[n];
            this.noise = noise;
            this.generator = generator;
        }

        void set(int i, double x, double y, int label) {
            if (noise > 0) {
                x += noise * generator.nextGaussian();
                y += noise * generator.nextGaussian();
            }
            inputs[2 * i] = (float) x;
            inputs[2 * i + 1] = (float) y;
            targets[i] = label;
        }

        TensorDataset dataset() {
            return new TensorDataset(Tensor.of(inputs, targets.length, 2), Tensor.ofLongs(targets, targets.length));
        }
    }
}
