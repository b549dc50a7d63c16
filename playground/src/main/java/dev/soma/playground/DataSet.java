package dev.soma.playground;

import dev.soma.data.ToySets;
import dev.soma.data.TensorDataset;
import dev.soma.tensor.Generator;
import java.util.ArrayList;
import java.util.List;

/**
 * The data sets the playground generates, each with the square of the plane it is drawn in.
 * Classification sets come from core's {@link ToySets} where it has them (the gates, circle, spiral,
 * gaussians, moons); checkerboard, three blobs and the regression sets are made here.
 *
 * <p>Noise is given in percent, 0 to 50, and is the standard deviation of Gaussian noise added to each
 * coordinate as a fraction of {@link #noiseScale()}, a length typical of the set (the gates' corners
 * are 1 apart, so 50 % there is a std of 0.25). For the gaussians and blobs it widens the blobs from a
 * floor of 0.25; for regression it is added to the target instead of the coordinates.
 *
 * <pre>
 * checkerboard  uniform in [-1, 1]², label = 1 where ⌊2x₁⌋ + ⌊2x₂⌋ is odd (a 4 × 4 board)
 * blobs         three classes, Gaussian blobs around 120° apart on the circle of radius 1
 * plane         uniform in [-1, 1]², target (x₁ + x₂) / 2
 * multigauss    uniform in [-1, 1]², target the sum of four signed Gaussian bumps (σ = 0.35)
 * sine          uniform in [-1, 1]², target sin(πx₁): a curve in x₁, for one hidden layer to fit
 * </pre>
 */
public enum DataSet {
    CIRCLE("circle", -1.5f, 1.5f, 0.5),
    XOR("xor", -0.5f, 1.5f, 0.5),
    AND("and", -0.5f, 1.5f, 0.5),
    OR("or", -0.5f, 1.5f, 0.5),
    GAUSSIANS("gaussians", -3f, 3f, 1),
    SPIRAL("spiral", -1.5f, 1.5f, 0.3),
    MOONS("moons", -1.5f, 2.5f, 0.5),
    CHECKERBOARD("checkerboard", -1.25f, 1.25f, 0.2),
    BLOBS("blobs", -2.5f, 2.5f, 1),
    PLANE("plane", -1.25f, 1.25f, 1),
    MULTIGAUSS("multigauss", -1.25f, 1.25f, 1),
    SINE("sine", -1.25f, 1.25f, 1),
    /** Points the user clicked or uploaded; its square fits them. */
    CUSTOM("custom", -1.5f, 1.5f, 0);

    private final String id;
    private final float min;
    private final float max;
    private final double noiseScale;

    DataSet(String id, float min, float max, double noiseScale) {
        this.id = id;
        this.min = min;
        this.max = max;
        this.noiseScale = noiseScale;
    }

    public String id() {
        return id;
    }

    /** The lower end of both axes of the square this set is drawn in. */
    public float min() {
        return min;
    }

    /** The upper end of both axes. */
    public float max() {
        return max;
    }

    /** The length that 100 % noise stands for. */
    public double noiseScale() {
        return noiseScale;
    }

    /** Whether the labels are numbers to fit rather than classes. */
    public boolean regression() {
        return this == PLANE || this == MULTIGAUSS || this == SINE;
    }

    /** The set called {@code id} (case ignored). */
    public static DataSet of(String id) {
        for (DataSet d : values()) {
            if (d.id.equalsIgnoreCase(id)) {
                return d;
            }
        }
        List<String> names = new ArrayList<>();
        for (DataSet d : values()) {
            names.add(d.id);
        }
        throw new PlaygroundException("unknown data set '" + id + "' (expected one of " + String.join(", ", names) + ")");
    }

    /**
     * {@code n} points of this set with {@code noisePercent} noise, all marked as training points
     * (the session splits them). The same generator state gives the same points.
     */
    public List<Point> generate(int n, int noisePercent, Generator generator) {
        double noise = noisePercent / 100.0 * noiseScale;
        return switch (this) {
            case CIRCLE, XOR, AND, OR, SPIRAL, MOONS -> points(ToySets.of(id, n, noise, generator));
            case GAUSSIANS -> points(ToySets.gaussians(n, 0.25 + noise, generator));
            case CHECKERBOARD -> checkerboard(n, noise, generator);
            case BLOBS -> blobs(n, 0.25 + noise, generator);
            case PLANE, MULTIGAUSS, SINE -> regression(n, noise, generator);
            case CUSTOM -> List.of();
        };
    }

    private static List<Point> points(TensorDataset set) {
        float[] x = set.inputs().toArray();
        float[] y = set.targets().toArray();
        List<Point> points = new ArrayList<>(y.length);
        for (int i = 0; i < y.length; i++) {
            points.add(new Point(x[2 * i], x[2 * i + 1], y[i], true));
        }
        return points;
    }

    private static List<Point> checkerboard(int n, double noise, Generator g) {
        List<Point> points = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            double x1 = 2 * g.nextDouble() - 1;
            double x2 = 2 * g.nextDouble() - 1;
            int label = Math.floorMod((int) Math.floor(2 * x1) + (int) Math.floor(2 * x2), 2);
            points.add(new Point((float) (x1 + noise * g.nextGaussian()), (float) (x2 + noise * g.nextGaussian()), label, true));
        }
        return points;
    }

    private static List<Point> blobs(int n, double std, Generator g) {
        List<Point> points = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int label = i % 3;
            double angle = Math.PI / 2 + label * 2 * Math.PI / 3;
            points.add(new Point((float) (Math.cos(angle) + std * g.nextGaussian()),
                    (float) (Math.sin(angle) + std * g.nextGaussian()), label, true));
        }
        return points;
    }

    private List<Point> regression(int n, double noise, Generator g) {
        List<Point> points = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            double x1 = 2 * g.nextDouble() - 1;
            double x2 = 2 * g.nextDouble() - 1;
            double target = switch (this) {
                case PLANE -> (x1 + x2) / 2;
                case SINE -> Math.sin(Math.PI * x1);
                default -> multigauss(x1, x2);
            };
            points.add(new Point((float) x1, (float) x2, (float) (target + noise * 0.5 * g.nextGaussian()), true));
        }
        return points;
    }

    /** Four bumps e^(−r²/(2·0.35²)), signed + − − +, centred at (±0.5, ±0.5). */
    static double multigauss(double x1, double x2) {
        double[][] centres = {{-0.5, -0.5, 1}, {0.5, -0.5, -1}, {-0.5, 0.5, -1}, {0.5, 0.5, 1}};
        double sum = 0;
        for (double[] c : centres) {
            double dx = x1 - c[0];
            double dy = x2 - c[1];
            sum += c[2] * Math.exp(-(dx * dx + dy * dy) / (2 * 0.35 * 0.35));
        }
        return sum;
    }
}
