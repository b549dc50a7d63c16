package dev.soma.playground;

import dev.soma.io.ModelFile;
import dev.soma.io.Preprocessing;
import dev.soma.io.PreprocessingJson;
import dev.soma.nn.BCEWithLogitsLoss;
import dev.soma.nn.CrossEntropyLoss;
import dev.soma.nn.Dropout;
import dev.soma.nn.Linear;
import dev.soma.nn.Loss;
import dev.soma.nn.MSELoss;
import dev.soma.nn.ModelSpec;
import dev.soma.nn.Module;
import dev.soma.nn.Sequential;
import dev.soma.nn.Sigmoid;
import dev.soma.optim.Adam;
import dev.soma.optim.Optimizer;
import dev.soma.optim.SGD;
import dev.soma.tensor.Generator;
import dev.soma.tensor.NoGrad;
import dev.soma.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One experiment: its points (a {@link PointSet}), a network built from core's layers, its optimizer, and the counters.
 * The page's buttons map onto {@link #step}, {@link #reset} and {@link #apply}; {@link Snapshot#of}
 * reads everything the page draws. A session is not thread-safe: the server locks it.
 *
 * <p>The network is a {@link Sequential} of, per hidden layer, {@code Linear → σ (→ Dropout)}, then a
 * last {@code Linear} whose outputs are logits: one for two classes (loss: binary cross-entropy on the
 * logit, the page shows σ(z)), one per class for more (cross-entropy, softmax), one value for
 * regression (mean squared error). The loss on a batch B is
 * <pre>
 *   L = (1/|B|) Σᵢ ℓ(f(xᵢ), yᵢ) + λ·Σ|w|   (L1)   or   + λ·Σ w²   (L2)
 * </pre>
 * summed over the weights of every {@code Linear}, not the biases.
 *
 * <p>Determinism: one seed gives one run. The points come from {@code Generator(seed)}, the
 * train/test split from {@code Generator(seed + 1)}, the initial weights from {@code Generator(seed + 2)},
 * the batch order and dropout masks from {@code Generator(seed + 3)}.
 */
public final class Session {

    /** History entries kept; beyond, every other one is dropped and recording slows by half. */
    static final int MAX_HISTORY = 400;

    private Settings settings;
    private final PointSet data = new PointSet();

    private Sequential model;
    private final List<Linear> linears = new ArrayList<>();
    private Optimizer optimizer;
    private Loss loss;
    private Generator batches;

    private int[] order;
    private int cursor;
    private long step;
    private int epoch;

    private final List<double[]> history = new ArrayList<>();
    private int historyStride = 1;
    private Evaluation evaluation;

    /** A session with {@code settings}, its points generated and its network initialised. */
    public Session(Settings settings) {
        this.settings = settings.validated();
        data.generate(this.settings);
        rebuild();
    }

    public Settings settings() {
        return settings;
    }

    public List<Point> points() {
        return List.copyOf(data.points);
    }

    /** Classes of a classification problem (2 or more), 0 for regression. */
    public int classes() {
        return data.classes;
    }

    /** Increases whenever the points change, so a client knows when to fetch them again. */
    public int dataVersion() {
        return data.version;
    }

    public long step() {
        return step;
    }

    public int epoch() {
        return epoch;
    }

    public Sequential model() {
        return model;
    }

    /** The network's {@code Linear} layers, input side first; the last is the output layer. */
    public List<Linear> linears() {
        return List.copyOf(linears);
    }

    /** The features in input order. */
    public List<Feature> features() {
        return settings.features().stream().map(Feature::of).toList();
    }

    /** The train and test losses recorded so far: {@code [step, epoch, train loss, test loss]}. */
    public List<double[]> history() {
        return List.copyOf(history);
    }

    /**
     * Changes the settings. New data settings (set, count, noise, split, seed) give new points; any
     * change of the network, inputs, optimizer or dropout gives a new network from step 0; the learning
     * rate, regularization and batch size take effect at the next step, the training going on.
     *
     * @throws PlaygroundException when a setting is out of range; the session is then unchanged
     */
    public void apply(Settings next) {
        Settings valid = next.validated();
        Settings previous = settings;
        settings = valid;
        if (!previous.sameData(valid) && DataSet.of(valid.dataset()) != DataSet.CUSTOM) {
            data.generate(valid);
        } else if (!previous.sameData(valid)) {
            data.split(valid);
        }
        if (!previous.sameNetwork(valid)) {
            rebuild();
        } else {
            optimizer.setLr(valid.learningRate());
        }
    }

    /** A new network from the seed, the counters at 0; the points are kept. */
    public void reset() {
        rebuild();
    }

    /**
     * Adds a point (a click on the page), to the training set. The data set becomes {@code custom}
     * and the network starts again when the number of classes changes.
     *
     * @throws PlaygroundException outside the limits on points and classes, or for a non-finite value
     */
    public void addPoint(float x1, float x2, float label) {
        List<Point> next = new ArrayList<>(data.points);
        next.add(new Point(x1, x2, label, true));
        replacePoints(next, false);
    }

    /**
     * Replaces the points by {@code uploaded} (a CSV), split into train and test by the settings'
     * ratio. The data set becomes {@code custom}; the network starts again.
     */
    public void upload(List<Point> uploaded) {
        replacePoints(uploaded, true);
        rebuild();
    }

    private void replacePoints(List<Point> next, boolean resplit) {
        Settings custom = new Settings("custom", settings.points(), settings.noise(), settings.trainPercent(),
                settings.batchSize(), settings.seed(), settings.features(), settings.layers(), settings.activations(),
                settings.optimizer(), settings.learningRate(), settings.regularization(), settings.regularizationRate(),
                settings.dropout());
        boolean classesChanged = data.replace(next, resplit, custom);
        settings = custom;
        if (classesChanged) {
            rebuild();
        } else {
            evaluation = null;
            cursor = Math.min(cursor, data.trainCount);
            order = shuffled(data.trainCount);
        }
    }

    /**
     * Sets one weight of the {@code layer}-th {@code Linear} (0 = the first hidden layer, or the output
     * layer when there is none): the weight from neuron {@code from} of the layer before to neuron
     * {@code to}. Training goes on from the edited network.
     */
    public void setWeight(int layer, int to, int from, double value) {
        Linear linear = linear(layer);
        Limits.checkInt("neuron (to)", to, 0, linear.outFeatures() - 1);
        Limits.checkInt("input (from)", from, 0, linear.inFeatures() - 1);
        checkEdited(value);
        try (NoGrad scope = NoGrad.enter()) {
            linear.weight().set((float) value, to, from);
        }
        evaluation = null;
    }

    /** Sets the bias of neuron {@code to} of the {@code layer}-th {@code Linear}. */
    public void setBias(int layer, int to, double value) {
        Linear linear = linear(layer);
        Limits.checkInt("neuron", to, 0, linear.outFeatures() - 1);
        checkEdited(value);
        try (NoGrad scope = NoGrad.enter()) {
            linear.bias().set((float) value, to);
        }
        evaluation = null;
    }

    private Linear linear(int layer) {
        Limits.checkInt("layer", layer, 0, linears.size() - 1);
        return linears.get(layer);
    }

    private static void checkEdited(double value) {
        Limits.checkDouble("weight", value, -Limits.MAX_EDITED_WEIGHT, Limits.MAX_EDITED_WEIGHT, false);
    }

    /**
     * Runs {@code count} training steps, each on the next mini-batch of the shuffled training set;
     * when the set is used up, the epoch counter advances and the order is shuffled again.
     */
    public void step(int count) {
        Limits.checkInt("steps", count, 1, Limits.MAX_STEPS_PER_REQUEST);
        if (data.trainCount == 0) {
            throw new PlaygroundException("there are no training points: add some, or choose a data set");
        }
        model.train();
        for (int s = 0; s < count; s++) {
            trainOneBatch();
        }
        evaluation = null;
    }

    private void trainOneBatch() {
        int size = Math.min(settings.batchSize(), data.trainCount - cursor);
        int width = settings.features().size();
        float[] x = new float[size * width];
        float[] y = new float[size];
        for (int i = 0; i < size; i++) {
            int row = order[cursor + i];
            System.arraycopy(data.trainInputs, row * width, x, i * width, width);
            y[i] = data.trainTargets[row];
        }
        Tensor input = Tensor.of(x, size, width);
        Tensor output = model.forward(input);
        Tensor value = loss.forward(output, targets(y, size));
        Tensor penalty = penalty();
        if (penalty != null) {
            value = value.add(penalty);
        }
        optimizer.zeroGrad();
        value.backward();
        optimizer.step();
        step++;
        cursor += size;
        if (cursor >= data.trainCount) {
            cursor = 0;
            epoch++;
            order = shuffled(data.trainCount);
            if (epoch % historyStride == 0) {
                record();
            }
        }
    }

    /** Targets shaped for the loss: {@code [N, 1]} for one output, class indices {@code [N]} for softmax. */
    private Tensor targets(float[] y, int size) {
        return data.classes > 2 ? Tensor.of(y, size).toLong() : Tensor.of(y, size, 1);
    }

    private Tensor penalty() {
        double rate = settings.regularizationRate();
        if (rate == 0 || settings.regularization().equals("none")) {
            return null;
        }
        Tensor sum = null;
        for (Linear linear : linears) {
            Tensor w = linear.weight();
            Tensor term = settings.regularization().equals("l1") ? w.abs().sum() : w.mul(w).sum();
            sum = sum == null ? term : sum.add(term);
        }
        return sum.mul((float) rate);
    }

    private void record() {
        Evaluation e = evaluate();
        history.add(new double[] {step, epoch, e.trainLoss(), e.testLoss()});
        if (history.size() >= MAX_HISTORY) {
            List<double[]> kept = new ArrayList<>();
            for (int i = 0; i < history.size(); i += 2) {
                kept.add(history.get(i));
            }
            history.clear();
            history.addAll(kept);
            historyStride *= 2;
        }
    }

    /** The losses, accuracies and test confusion matrix of the network as it is now (cached until it changes). */
    public Evaluation evaluate() {
        if (evaluation == null) {
            evaluation = Evaluation.of(this, data.trainInputs, data.trainTargets, data.trainCount, data.testInputs,
                    data.testTargets, data.testCount);
        }
        return evaluation;
    }

    /** The network's outputs for {@code count} rows of features, in evaluation mode, without recording. */
    float[] outputs(float[] inputs, int count) {
        if (count == 0) {
            return new float[0];
        }
        model.eval();
        try (NoGrad scope = NoGrad.enter()) {
            return model.forward(Tensor.of(inputs, count, settings.features().size())).toArray();
        } finally {
            model.train();
        }
    }

    /** The mean loss of the outputs (not regularized), as training measures it. */
    double meanLoss(float[] outputs, float[] targets, int count) {
        if (count == 0) {
            return Double.NaN;
        }
        int width = data.classes > 2 ? data.classes : 1;
        try (NoGrad scope = NoGrad.enter()) {
            return loss.forward(Tensor.of(outputs, count, width), targets(targets, count)).item();
        }
    }

    /**
     * Saves the network as a Soma model file ({@code soma info} reads it; PyTorch reads its weights):
     * the layers as trained, with a {@code Sigmoid} after the single logit of a two-class network so
     * that the file gives probabilities. The class names are "0", "1", …; the metadata records the
     * playground's settings.
     */
    public void export(Path file) throws IOException {
        Sequential exported = new Sequential();
        for (int i = 0; i < model.size(); i++) {
            exported.add(model.get(i));
        }
        if (data.classes == 2) {
            exported.add(new Sigmoid());
        }
        ModelSpec spec = ModelSpec.of(new int[] {settings.features().size()}, exported);
        List<String> names = new ArrayList<>();
        for (int k = 0; k < data.classes; k++) {
            names.add(Integer.toString(k));
        }
        Preprocessing input = Preprocessing.points(settings.dataset(), features().stream().map(Feature::feature).toList());
        ModelFile.save(file, exported, spec, data.classes == 2 ? List.of() : names, Map.of(
                Preprocessing.KEY, PreprocessingJson.toJson(input),
                "soma.playground.features", String.join(",", settings.features()),
                "soma.playground.dataset", settings.dataset(),
                "soma.playground.step", Long.toString(step)));
    }

    /**
     * When every hidden activation is linear, the network is one linear map: the product of its
     * layers, {@code W = W_L ⋯ W₁} and {@code b = W_L(⋯(W₂b₁ + b₂)⋯) + b_L}. Returned as rows
     * {@code [outputs][features + 1]}, the bias last; {@code null} when some σ is not linear.
     */
    public double[][] collapsed() {
        for (String a : settings.activations()) {
            if (ActivationKind.of(a) != ActivationKind.LINEAR) {
                return null;
            }
        }
        int inputs = settings.features().size();
        double[][] map = new double[inputs][inputs + 1]; // the identity: each input passes through
        for (int i = 0; i < inputs; i++) {
            map[i][i] = 1;
        }
        for (Linear linear : linears) {
            float[] w = linear.weight().toArray();
            float[] b = linear.bias().toArray();
            int out = linear.outFeatures();
            int in = linear.inFeatures();
            double[][] next = new double[out][inputs + 1];
            for (int o = 0; o < out; o++) {
                for (int j = 0; j < in; j++) {
                    for (int c = 0; c <= inputs; c++) {
                        next[o][c] += w[o * in + j] * map[j][c];
                    }
                }
                next[o][inputs] += b[o];
            }
            map = next;
        }
        return map;
    }

    private void rebuild() {
        data.load(features()); // the features may have changed
        Generator init = new Generator(settings.seed() + 2);
        batches = new Generator(settings.seed() + 3);
        model = new Sequential();
        linears.clear();
        int in = settings.features().size();
        for (int i = 0; i < settings.layers().size(); i++) {
            int out = settings.layers().get(i);
            Linear linear = new Linear(in, out, init);
            linears.add(linear);
            model.add(linear);
            model.add(ActivationKind.of(settings.activations().get(i)).module());
            if (settings.dropout() > 0) {
                model.add(new Dropout((float) settings.dropout(), batches));
            }
            in = out;
        }
        Linear last = new Linear(in, data.classes > 2 ? data.classes : 1, init);
        linears.add(last);
        model.add(last);
        loss = data.classes == 0 ? new MSELoss() : data.classes == 2 ? new BCEWithLogitsLoss() : new CrossEntropyLoss();
        optimizer = switch (settings.optimizer()) {
            case "adam" -> Adam.builder(model.parameters()).lr(settings.learningRate()).build();
            case "momentum" -> SGD.builder(model.parameters(), settings.learningRate()).momentum(0.9).build();
            default -> new SGD(model.parameters(), settings.learningRate());
        };
        step = 0;
        epoch = 0;
        cursor = 0;
        order = shuffled(data.trainCount);
        history.clear();
        historyStride = 1;
        evaluation = null;
        record();
    }

    private int[] shuffled(int n) {
        return batches.permutation(n);
    }

    /** Every module of the network, for tests and the snapshot. */
    List<Module> modules() {
        List<Module> modules = new ArrayList<>();
        for (int i = 0; i < model.size(); i++) {
            modules.add(model.get(i));
        }
        return modules;
    }
}
