package dev.soma.nn;

import dev.soma.tensor.Tensor;

/** Binary cross-entropy on logits, fused with the sigmoid for stability (see {@link Losses#binaryCrossEntropyWithLogits}). */
public class BCEWithLogitsLoss implements Loss {

    private final Reduction reduction;

    /** With the mean over elements. */
    public BCEWithLogitsLoss() {
        this(Reduction.MEAN);
    }

    public BCEWithLogitsLoss(Reduction reduction) {
        this.reduction = reduction;
    }

    @Override
    public Tensor forward(Tensor input, Tensor target) {
        return Losses.binaryCrossEntropyWithLogits(input, target, reduction);
    }
}
