package dev.soma.train;

import dev.soma.data.DataLoader;
import dev.soma.data.Dataset;
import java.util.function.BooleanSupplier;

/**
 * What the command line asks of a training loop: the local {@link Trainer}, or one that computes each
 * step's gradient elsewhere on the same global batches (soma-spark's {@code SparkTrainer}). Each method
 * is the {@link Trainer}'s of the same name.
 */
public interface TrainingLoop {

    /** Adds a callback; returns this loop. */
    TrainingLoop callback(Callback callback);

    /** Saves the run's state to {@code sink} after each epoch when {@code eachEpoch} and every N steps when N &gt; 0. */
    TrainingLoop checkpoint(CheckpointSink sink, boolean eachEpoch, int everySteps);

    /** Ends the run (with a checkpoint) after the first step at which {@code condition} holds. */
    TrainingLoop stopWhen(BooleanSupplier condition);

    /** Trains from {@code from} (null: from the start) up to {@code epochs} epochs, evaluating on {@code validation}. */
    History fit(DataLoader train, Dataset validation, int epochs, TrainingState from);

    /** Whether the last fit was ended by the stop condition. */
    boolean stopped();

    /** Where the last fit ended. */
    TrainingState lastState();
}
