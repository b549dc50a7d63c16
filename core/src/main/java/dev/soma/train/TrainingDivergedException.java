package dev.soma.train;

/**
 * Training produced a loss or a gradient that is not a finite number (NaN or ±∞), so the next step
 * would write garbage into the weights. {@link Trainer} stops before that step: the model keeps the
 * weights of the last good step, and nothing downstream (a saved file, a prediction) sees NaN. The
 * message names the epoch, the step and, for a gradient, the parameter. The usual cause is a learning
 * rate too large for the model and data.
 */
public final class TrainingDivergedException extends RuntimeException {

    private final int epoch;
    private final int step;

    /** A run stopped before step {@code step} of epoch {@code epoch} (both from 1) because {@code what}. */
    public TrainingDivergedException(int epoch, int step, String what) {
        super("training diverged at epoch " + epoch + ", step " + step + ": " + what
                + "; the weights are those of the step before (a smaller learning rate usually helps)");
        this.epoch = epoch;
        this.step = step;
    }

    /** The epoch of the step that diverged, from 1. */
    public int epoch() {
        return epoch;
    }

    /** The step within its epoch that diverged, from 1. */
    public int step() {
        return step;
    }
}
