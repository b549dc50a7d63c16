package dev.soma.train;

/**
 * Hooks into a training run; every method does nothing unless overridden. Each event comes as one
 * record with named fields, so a callback reads {@code e.loss()}, not the fifth of five numbers.
 */
public interface Callback {

    /** Before the first epoch. */
    default void onTrainStart(TrainStart e) {
    }

    /** After each optimisation step, with that batch's mean loss. */
    default void onBatchEnd(BatchEnd e) {
    }

    /** After each epoch (and its evaluation); return true to stop training here. */
    default boolean onEpochEnd(EpochStats stats) {
        return false;
    }

    /** After the last epoch. */
    default void onTrainEnd(History history) {
    }

    /**
     * The start of a run.
     *
     * @param epochs the epochs asked for (early stopping may end the run sooner)
     * @param batchesPerEpoch the optimisation steps in one epoch
     */
    record TrainStart(int epochs, int batchesPerEpoch) {
    }

    /**
     * The end of one optimisation step.
     *
     * @param epoch 1 for the first epoch
     * @param batch 1 for the epoch's first batch, {@code batches} for its last
     * @param batches the batches in this epoch
     * @param examples the examples in this batch (the last one may be partial)
     * @param loss this batch's mean loss
     */
    record BatchEnd(int epoch, int batch, int batches, int examples, double loss) {
    }
}
