package dev.soma.train;

/** Hooks into a training run; every method does nothing unless overridden. */
public interface Callback {

    /** Before the first epoch. */
    default void onTrainStart(int epochs, int batchesPerEpoch) {
    }

    /** After each optimisation step, with that batch's mean loss. */
    default void onBatchEnd(int epoch, int batch, int batches, int examples, double loss) {
    }

    /** After each epoch (and its evaluation); return true to stop training here. */
    default boolean onEpochEnd(EpochStats stats) {
        return false;
    }

    /** After the last epoch. */
    default void onTrainEnd(History history) {
    }
}
