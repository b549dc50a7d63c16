package dev.soma.nn;

import dev.soma.tensor.Tensor;

/** Mean absolute error, {@code |x − y|}, as PyTorch's {@code nn.L1Loss} (see {@link Losses#l1}). */
public class L1Loss implements Loss {

    private final Reduction reduction;

    /** With the mean over elements. */
    public L1Loss() {
        this(Reduction.MEAN);
    }

    public L1Loss(Reduction reduction) {
        this.reduction = reduction;
    }

    @Override
    public Tensor forward(Tensor input, Tensor target) {
        return Losses.l1(input, target, reduction);
    }
}
