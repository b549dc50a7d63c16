package dev.soma.nn;

import dev.soma.tensor.Tensor;

/** Negative log-likelihood of class indices, given log-probabilities (see {@link Losses#nll}). */
public class NLLLoss implements Loss {

    private final Reduction reduction;

    /** With the mean over elements. */
    public NLLLoss() {
        this(Reduction.MEAN);
    }

    public NLLLoss(Reduction reduction) {
        this.reduction = reduction;
    }

    @Override
    public Tensor forward(Tensor input, Tensor target) {
        return Losses.nll(input, target, reduction);
    }
}
