package dev.soma.nn;

import dev.soma.tensor.Tensor;

/** How a loss combines its per-element values, as PyTorch's {@code reduction} argument. */
public enum Reduction {
    /** The mean over elements (the default). */
    MEAN,
    /** The sum over elements. */
    SUM,
    /** No reduction: one loss per element. */
    NONE,
    /** The sum divided by the batch size (dim 0): PyTorch's {@code KLDivLoss(reduction="batchmean")}. */
    BATCHMEAN;

    /** Applies this reduction to per-element losses. */
    public Tensor apply(Tensor losses) {
        return switch (this) {
            case MEAN -> losses.mean();
            case SUM -> losses.sum();
            case NONE -> losses;
            case BATCHMEAN -> losses.dim() == 0 ? losses : losses.sum().div(losses.size(0));
        };
    }
}
