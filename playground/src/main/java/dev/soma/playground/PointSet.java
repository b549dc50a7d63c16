package dev.soma.playground;

import dev.soma.tensor.Generator;
import java.util.ArrayList;
import java.util.List;

/**
 * A session's points, split into training and test sets, and the two sets as rows of features ready
 * for the network: {@code [count, features]} inputs and one target each (a class index, or the value
 * to fit). Package-private state that {@link Session} reads directly; it changes only through the
 * methods here.
 */
final class PointSet {

    List<Point> points = new ArrayList<>();
    /** Classes of a classification problem (2 or more), 0 for regression. */
    int classes;
    /** Increases whenever the points change. */
    int version;

    float[] trainInputs = new float[0];
    float[] trainTargets = new float[0];
    int trainCount;
    float[] testInputs = new float[0];
    float[] testTargets = new float[0];
    int testCount;

    /** New points from the settings' data set, noise and seed ({@code Generator(seed)}), then split. */
    void generate(Settings settings) {
        DataSet set = DataSet.of(settings.dataset());
        points = new ArrayList<>(set.generate(settings.points(), settings.noise(), new Generator(settings.seed())));
        classes = set.regression() ? 0 : set == DataSet.BLOBS ? 3 : 2;
        split(settings);
    }

    /**
     * Marks the first trainPercent % of a shuffle by {@code Generator(seed + 1)} as training points
     * (at least one), the rest as test points.
     */
    void split(Settings settings) {
        int n = points.size();
        int[] shuffle = new Generator(settings.seed() + 1).permutation(n);
        int train = (int) Math.round(n * settings.trainPercent() / 100.0);
        if (n > 0) {
            train = Math.max(1, train);
        }
        List<Point> marked = new ArrayList<>(points);
        for (int i = 0; i < n; i++) {
            marked.set(shuffle[i], points.get(shuffle[i]).withTrain(i < train));
        }
        points = marked;
        version++;
        load(settings.features().stream().map(Feature::of).toList());
    }

    /**
     * Replaces the points by {@code next}: split again by the settings when {@code resplit} (an
     * upload, whose labels decide between classes and regression), else kept as marked (a click,
     * which keeps the problem's kind).
     *
     * @return whether the number of classes changed (the network must be rebuilt)
     * @throws PlaygroundException beyond {@link Limits#MAX_POINTS}, for a non-finite value, or a class
     *     label that is not a whole number from 0 to 7; the points are then unchanged
     */
    boolean replace(List<Point> next, boolean resplit, Settings settings) {
        if (next.size() > Limits.MAX_POINTS) {
            throw new PlaygroundException("a session holds at most " + Limits.MAX_POINTS + " points, this would make " + next.size());
        }
        for (Point p : next) {
            if (!Float.isFinite(p.x1()) || !Float.isFinite(p.x2()) || !Float.isFinite(p.label())) {
                throw new PlaygroundException("a point's coordinates and label must be finite numbers, got "
                        + p.x1() + ", " + p.x2() + ", " + p.label());
            }
        }
        boolean regression = resplit ? !allClasses(next) : classes == 0;
        int newClasses = regression ? 0 : countClasses(next);
        points = new ArrayList<>(next);
        boolean changed = newClasses != classes;
        classes = newClasses;
        if (resplit) {
            split(settings);
        } else {
            version++;
            load(settings.features().stream().map(Feature::of).toList());
        }
        return changed;
    }

    /** Computes the training and test rows of {@code features} from the points. */
    void load(List<Feature> features) {
        int width = features.size();
        trainCount = (int) points.stream().filter(Point::train).count();
        testCount = points.size() - trainCount;
        trainInputs = new float[trainCount * width];
        trainTargets = new float[trainCount];
        testInputs = new float[testCount * width];
        testTargets = new float[testCount];
        int tr = 0;
        int te = 0;
        for (Point p : points) {
            float[] inputs = p.train() ? trainInputs : testInputs;
            int row = p.train() ? tr++ : te++;
            for (int f = 0; f < width; f++) {
                inputs[row * width + f] = features.get(f).apply(p.x1(), p.x2());
            }
            (p.train() ? trainTargets : testTargets)[row] = p.label();
        }
    }

    private static boolean allClasses(List<Point> points) {
        for (Point p : points) {
            if (!isClass(p.label())) {
                return false;
            }
        }
        return true;
    }

    private static int countClasses(List<Point> points) {
        int max = 1;
        for (Point p : points) {
            float label = p.label();
            if (!isClass(label)) {
                throw new PlaygroundException("a class label must be a whole number from 0 to " + (Limits.MAX_CLASSES - 1)
                        + ", got " + label);
            }
            max = Math.max(max, (int) label);
        }
        return max + 1;
    }

    private static boolean isClass(float label) {
        return label == Math.rint(label) && label >= 0 && label < Limits.MAX_CLASSES;
    }
}
