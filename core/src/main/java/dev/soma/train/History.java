package dev.soma.train;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** The epochs of one training run, in order. */
public final class History {

    private final List<EpochStats> epochs = new ArrayList<>();

    /** Appends one epoch's statistics (a training loop does, after each epoch). */
    public void add(EpochStats stats) {
        epochs.add(stats);
    }

    /** Every epoch so far. */
    public List<EpochStats> epochs() {
        return Collections.unmodifiableList(epochs);
    }

    /** The last epoch; throws when there is none. */
    public EpochStats last() {
        if (epochs.isEmpty()) {
            throw new IllegalStateException("history: no epoch has finished");
        }
        return epochs.getLast();
    }

    /** The training loss of each epoch. */
    public double[] trainLoss() {
        return epochs.stream().mapToDouble(EpochStats::trainLoss).toArray();
    }

    /** The validation accuracy of each epoch (NaN without validation). */
    public double[] validationAccuracy() {
        return epochs.stream().mapToDouble(EpochStats::validationAccuracy).toArray();
    }

    /** The seconds each epoch's training pass took. */
    public double[] epochSeconds() {
        return epochs.stream().mapToDouble(EpochStats::seconds).toArray();
    }
}
