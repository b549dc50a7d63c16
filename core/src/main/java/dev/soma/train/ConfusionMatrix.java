package dev.soma.train;

import dev.soma.data.Batch;
import dev.soma.data.DataLoader;
import dev.soma.data.Dataset;
import dev.soma.nn.Module;
import dev.soma.tensor.NoGrad;
import java.util.Arrays;

/**
 * Counts of (true class, predicted class) pairs: {@code counts[t][p]} examples of class t were
 * predicted as p. The diagonal holds the correct predictions.
 */
public final class ConfusionMatrix {

    private final long[][] counts;

    public ConfusionMatrix(int classes) {
        if (classes <= 0) {
            throw new IllegalArgumentException("ConfusionMatrix: classes must be > 0, got " + classes);
        }
        this.counts = new long[classes][classes];
    }

    /** The matrix of {@code model}'s arg-max predictions on {@code data}, in evaluation mode. */
    public static ConfusionMatrix of(Module model, Dataset data, int classes, int batchSize) {
        ConfusionMatrix matrix = new ConfusionMatrix(classes);
        boolean wasTraining = model.isTraining();
        model.eval();
        try (NoGrad scope = NoGrad.enter()) {
            for (Batch batch : new DataLoader(data, batchSize)) {
                float[] predicted = model.forward(batch.inputs()).argmax(1, false).toArray();
                float[] truth = batch.targets().toArray();
                for (int i = 0; i < truth.length; i++) {
                    matrix.add((int) truth[i], (int) predicted[i]);
                }
            }
        } finally {
            model.train(wasTraining);
        }
        return matrix;
    }

    /** Counts one example of class {@code truth} predicted as {@code predicted}. */
    public void add(int truth, int predicted) {
        if (truth < 0 || truth >= counts.length || predicted < 0 || predicted >= counts.length) {
            throw new IllegalArgumentException("ConfusionMatrix: class " + truth + " predicted as " + predicted
                    + " is outside 0.." + (counts.length - 1));
        }
        counts[truth][predicted]++;
    }

    /** The number of classes. */
    public int classes() {
        return counts.length;
    }

    /** Examples of class {@code truth} predicted as {@code predicted}. */
    public long count(int truth, int predicted) {
        return counts[truth][predicted];
    }

    /** All examples counted. */
    public long total() {
        return Arrays.stream(counts).flatMapToLong(Arrays::stream).sum();
    }

    /** The fraction predicted correctly; NaN when empty. */
    public double accuracy() {
        long correct = 0;
        for (int c = 0; c < counts.length; c++) {
            correct += counts[c][c];
        }
        long total = total();
        return total == 0 ? Double.NaN : (double) correct / total;
    }

    /** For each class, the fraction of its examples predicted correctly (recall); NaN for an absent class. */
    public double[] perClassAccuracy() {
        double[] out = new double[counts.length];
        for (int c = 0; c < counts.length; c++) {
            long row = Arrays.stream(counts[c]).sum();
            out[c] = row == 0 ? Double.NaN : (double) counts[c][c] / row;
        }
        return out;
    }

    /** A copy of the counts, {@code [true][predicted]}. */
    public long[][] counts() {
        long[][] copy = new long[counts.length][];
        for (int c = 0; c < counts.length; c++) {
            copy[c] = counts[c].clone();
        }
        return copy;
    }
}
