package dev.soma.nn;

import dev.soma.tensor.Tensor;

/** Smooth L1 loss, squared within {@code beta} of the target (divided by beta) and absolute beyond, as PyTorch's {@code nn.SmoothL1Loss} (see {@link Losses#smoothL1}). */
public class SmoothL1Loss implements Loss {

    private final Reduction reduction;
    private final float beta;

    /** With the mean over elements and {@code beta = 1}, PyTorch's defaults. */
    public SmoothL1Loss() {
        this(Reduction.MEAN, 1);
    }

    public SmoothL1Loss(Reduction reduction, float beta) {
        if (!(beta >= 0)) {
            throw new IllegalArgumentException("SmoothL1Loss: beta must be ≥ 0, got " + beta);
        }
        this.reduction = reduction;
        this.beta = beta;
    }

    @Override
    public Tensor forward(Tensor input, Tensor target) {
        return Losses.smoothL1(input, target, beta, reduction);
    }
}
