package dev.soma.playground;

import java.util.ArrayList;
import java.util.List;

/**
 * Everything that defines an experiment: the data, the inputs, the network and its training. With the
 * seed, it reproduces a session exactly (the page keeps it in its URL). Field names are the JSON
 * names of the HTTP API; {@link #validated()} checks every one against {@link Limits}.
 *
 * @param dataset a {@link DataSet} id: circle, xor, and, or, gaussians, spiral, moons, checkerboard,
 *     blobs (three classes), plane, multigauss, sine (regression), custom
 * @param points how many points to generate (4 to {@link Limits#MAX_GENERATED_POINTS})
 * @param noise noise in percent, 0 to 50
 * @param trainPercent the share of points used for training, 10 to 90; the rest are the test set
 * @param batchSize points per step
 * @param seed seeds the data, the split, the initial weights, the batches and dropout
 * @param features the inputs, {@link Feature} ids such as {@code x1}, {@code x1^2}
 * @param layers neurons per hidden layer, 0 to 8 layers of 1 to 16
 * @param activations one {@link ActivationKind} id per hidden layer
 * @param optimizer sgd, momentum (SGD with momentum 0.9) or adam
 * @param learningRate above 0, at most 10
 * @param regularization none, l1 or l2
 * @param regularizationRate λ: the loss gains λ·Σ|w| (L1) or λ·Σw² (L2) over the weights, not biases
 * @param dropout probability of dropping a hidden neuron's output while training, 0 to 0.9
 */
public record Settings(
        String dataset,
        int points,
        int noise,
        int trainPercent,
        int batchSize,
        long seed,
        List<String> features,
        List<Integer> layers,
        List<String> activations,
        String optimizer,
        double learningRate,
        String regularization,
        double regularizationRate,
        double dropout) {

    /** TensorFlow Playground's start: circle, x₁ and x₂, two hidden layers 4-2 of tanh, batch 10. */
    public static Settings defaults() {
        return new Settings("circle", 500, 0, 50, 10, 0, List.of("x1", "x2"), List.of(4, 2),
                List.of("tanh", "tanh"), "sgd", 0.03, "none", 0, 0);
    }

    /**
     * These settings, checked. Missing lists become empty; a missing activation list becomes tanh for
     * every layer.
     *
     * @throws PlaygroundException naming the first setting out of range or unknown
     */
    public Settings validated() {
        if (dataset == null) {
            throw new PlaygroundException("dataset is missing");
        }
        DataSet.of(dataset);
        if (DataSet.of(dataset) != DataSet.CUSTOM) {
            Limits.checkInt("points", points, 4, Limits.MAX_GENERATED_POINTS);
        }
        Limits.checkInt("noise (percent)", noise, 0, Limits.MAX_NOISE);
        Limits.checkInt("trainPercent", trainPercent, Limits.MIN_TRAIN_PERCENT, Limits.MAX_TRAIN_PERCENT);
        Limits.checkInt("batchSize", batchSize, 1, Limits.MAX_BATCH);
        List<String> f = features == null ? List.of() : features;
        if (f.isEmpty()) {
            throw new PlaygroundException("features: choose at least one input (x1, x2, x1^2, x2^2, x1*x2, sin(x1), sin(x2))");
        }
        List<String> canonical = new ArrayList<>();
        for (String id : f) {
            String name = Feature.of(id).id();
            if (canonical.contains(name)) {
                throw new PlaygroundException("features: " + name + " is listed twice");
            }
            canonical.add(name);
        }
        List<Integer> l = layers == null ? List.of() : layers;
        if (l.size() > Limits.MAX_HIDDEN_LAYERS) {
            throw new PlaygroundException("layers: at most " + Limits.MAX_HIDDEN_LAYERS + " hidden layers, got " + l.size());
        }
        for (int i = 0; i < l.size(); i++) {
            if (l.get(i) == null) {
                throw new PlaygroundException("layers: hidden layer " + (i + 1) + " has no size");
            }
            Limits.checkInt("neurons in hidden layer " + (i + 1), l.get(i), 1, Limits.MAX_NEURONS);
        }
        List<String> a = activations == null || activations.isEmpty() ? nCopies(l.size(), "tanh") : activations;
        if (a.size() != l.size()) {
            throw new PlaygroundException("activations: one per hidden layer, so " + l.size() + ", got " + a.size());
        }
        List<String> canonicalActivations = new ArrayList<>();
        for (String id : a) {
            canonicalActivations.add(ActivationKind.of(id).id());
        }
        String opt = optimizer == null ? "sgd" : optimizer.toLowerCase(java.util.Locale.ROOT);
        if (!List.of("sgd", "momentum", "adam").contains(opt)) {
            throw new PlaygroundException("optimizer: expected sgd, momentum or adam, got '" + optimizer + "'");
        }
        Limits.checkDouble("learningRate", learningRate, 0, Limits.MAX_LEARNING_RATE, true);
        String reg = regularization == null ? "none" : regularization.toLowerCase(java.util.Locale.ROOT);
        if (!List.of("none", "l1", "l2").contains(reg)) {
            throw new PlaygroundException("regularization: expected none, l1 or l2, got '" + regularization + "'");
        }
        Limits.checkDouble("regularizationRate", regularizationRate, 0, Limits.MAX_REGULARIZATION, false);
        Limits.checkDouble("dropout", dropout, 0, Limits.MAX_DROPOUT, false);
        return new Settings(DataSet.of(dataset).id(), points, noise, trainPercent, batchSize, seed, List.copyOf(canonical),
                List.copyOf(l), List.copyOf(canonicalActivations), opt, learningRate, reg, regularizationRate, dropout);
    }

    private static List<String> nCopies(int n, String value) {
        return java.util.Collections.nCopies(n, value);
    }

    /** Whether going from {@code this} to {@code next} needs new points (not just a new network). */
    boolean sameData(Settings next) {
        return dataset.equals(next.dataset) && points == next.points && noise == next.noise
                && trainPercent == next.trainPercent && seed == next.seed;
    }

    /** Whether {@code next} trains the same network from the same start (only rates or batch size differ). */
    boolean sameNetwork(Settings next) {
        return sameData(next) && features.equals(next.features) && layers.equals(next.layers)
                && activations.equals(next.activations) && optimizer.equals(next.optimizer) && dropout == next.dropout;
    }
}
