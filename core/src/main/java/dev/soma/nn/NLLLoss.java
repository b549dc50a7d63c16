package dev.soma.nn;

import dev.soma.tensor.Tensor;

/**
 * Negative log-likelihood of class indices, given log-probabilities, as PyTorch's
 * {@code nn.NLLLoss(weight, ignore_index, reduction)} (see {@link Losses#nll}).
 */
public class NLLLoss implements Loss {

    private final Tensor weight;
    private final int ignoreIndex;
    private final Reduction reduction;

    /** With the mean over elements. */
    public NLLLoss() {
        this(Reduction.MEAN);
    }

    public NLLLoss(Reduction reduction) {
        this(null, ClassTargets.NO_INDEX, reduction);
    }

    /** With class weights {@code [C]} (or null), targets equal to {@code ignoreIndex} left out. */
    public NLLLoss(Tensor weight, int ignoreIndex, Reduction reduction) {
        this.weight = weight;
        this.ignoreIndex = ignoreIndex;
        this.reduction = reduction;
    }

    @Override
    public Tensor forward(Tensor input, Tensor target) {
        return Losses.nll(input, target, weight, ignoreIndex, reduction);
    }
}
