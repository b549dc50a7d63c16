package dev.soma.nn;

import dev.soma.tensor.Tensor;

/** Binary cross-entropy on probabilities (see {@link Losses#binaryCrossEntropy}). */
public class BCELoss implements Loss {

    private final Reduction reduction;

    /** With the mean over elements. */
    public BCELoss() {
        this(Reduction.MEAN);
    }

    public BCELoss(Reduction reduction) {
        this.reduction = reduction;
    }

    @Override
    public Tensor forward(Tensor input, Tensor target) {
        return Losses.binaryCrossEntropy(input, target, reduction);
    }
}
