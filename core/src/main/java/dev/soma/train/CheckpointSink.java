package dev.soma.train;

import java.io.IOException;

/**
 * Where {@link Trainer} hands a run's state to be saved, between two steps: the sink saves it with
 * the model's weights and the optimizer's state, which it reaches itself ({@code io.Checkpoint} is
 * the one Soma has), so that the run can resume from it.
 */
@FunctionalInterface
public interface CheckpointSink {

    /** Saves {@code state} with the weights and optimizer state as they are now. */
    void save(TrainingState state) throws IOException;
}
