package dev.soma.train;

/**
 * What one epoch measured. Losses are means over examples; accuracies are fractions in [0, 1], NaN
 * where there was no metric or no validation set.
 *
 * @param epoch 1 for the first epoch
 * @param seconds the wall time of the training pass (shuffling and every step, no evaluation)
 */
public record EpochStats(int epoch, double trainLoss, double trainAccuracy, double validationLoss,
                         double validationAccuracy, double seconds) {
}
