package dev.soma.nn;

import dev.soma.tensor.Tensor;

/**
 * Cross-entropy of logits {@code [N, C]} against class indices {@code [N]}, with optional label
 * smoothing (see {@link Losses#crossEntropy(Tensor, Tensor, float, Reduction)}).
 */
public class CrossEntropyLoss implements Loss {

    private final Reduction reduction;
    private final float labelSmoothing;

    /** The mean over the batch, no label smoothing. */
    public CrossEntropyLoss() {
        this(Reduction.MEAN, 0);
    }

    public CrossEntropyLoss(Reduction reduction, float labelSmoothing) {
        if (!(labelSmoothing >= 0 && labelSmoothing <= 1)) {
            throw new IllegalArgumentException("CrossEntropyLoss: labelSmoothing must be in [0, 1], got " + labelSmoothing);
        }
        this.reduction = reduction;
        this.labelSmoothing = labelSmoothing;
    }

    @Override
    public Tensor forward(Tensor input, Tensor target) {
        return Losses.crossEntropy(input, target, labelSmoothing, reduction);
    }
}
