package dev.soma.train;

/**
 * Stops training when the monitored loss (validation loss when there is a validation set, else
 * training loss) has not improved by more than {@code minDelta} for {@code patience} epochs.
 */
public final class EarlyStopping implements Callback {

    private final int patience;
    private final double minDelta;
    private double best = Double.POSITIVE_INFINITY;
    private int epochsWithoutImprovement;
    private int stoppedAt;

    public EarlyStopping(int patience, double minDelta) {
        if (patience < 1) {
            throw new IllegalArgumentException("EarlyStopping: patience must be ≥ 1, got " + patience);
        }
        if (!(minDelta >= 0)) {
            throw new IllegalArgumentException("EarlyStopping: minDelta must be ≥ 0, got " + minDelta);
        }
        this.patience = patience;
        this.minDelta = minDelta;
    }

    /** Starts each run afresh, so that a trainer fitted again does not inherit the last run's count. */
    @Override
    public void onTrainStart(TrainStart e) {
        best = Double.POSITIVE_INFINITY;
        epochsWithoutImprovement = 0;
        stoppedAt = 0;
    }

    @Override
    public boolean onEpochEnd(EpochStats stats) {
        double loss = Double.isNaN(stats.validationLoss()) ? stats.trainLoss() : stats.validationLoss();
        if (loss < best - minDelta) {
            best = loss;
            epochsWithoutImprovement = 0;
            return false;
        }
        epochsWithoutImprovement++;
        if (epochsWithoutImprovement >= patience) {
            stoppedAt = stats.epoch();
            return true;
        }
        return false;
    }

    /** The epoch at which this callback stopped training, or 0 if it did not. */
    public int stoppedAt() {
        return stoppedAt;
    }

    /** The best monitored loss seen. */
    public double best() {
        return best;
    }
}
