package dev.soma.train;

import dev.soma.tensor.NoGrad;
import dev.soma.tensor.Shape;
import dev.soma.tensor.Tensor;

/** Counts the correct predictions in a batch; the trainer divides by the number of examples. */
@FunctionalInterface
public interface Metric {

    /** The number of examples in the batch that the model got right. */
    long correct(Tensor output, Tensor target);

    /** Multi-class: the arg-max of each row of {@code [N, C]} scores equals the class index in {@code [N]}. */
    static Metric multiclassAccuracy() {
        return (output, target) -> {
            if (output.dim() != 2 || target.dim() != 1 || output.size(0) != target.size(0)) {
                throw new IllegalArgumentException("accuracy: scores " + Shape.format(output.shape()) + " and classes "
                        + Shape.format(target.shape()) + " must be [N, C] and [N]");
            }
            try (NoGrad scope = NoGrad.enter()) {
                return Math.round(output.argmax(1, false).eq(target).sum().item());
            }
        };
    }

    /**
     * Binary: a prediction at or above {@code threshold} means class 1 (use 0.5 for probabilities, 0
     * for logits); it must equal the 0/1 target of the same number of elements.
     */
    static Metric binaryAccuracy(float threshold) {
        return (output, target) -> {
            if (output.numel() != target.numel()) {
                throw new IllegalArgumentException("accuracy: predictions " + Shape.format(output.shape())
                        + " and targets " + Shape.format(target.shape()) + " differ in size");
            }
            try (NoGrad scope = NoGrad.enter()) {
                Tensor predicted = output.reshape(-1).ge(Tensor.scalar(threshold));
                return Math.round(predicted.eq(target.reshape(-1)).sum().item());
            }
        };
    }
}
