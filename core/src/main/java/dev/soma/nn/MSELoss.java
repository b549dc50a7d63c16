package dev.soma.nn;

import dev.soma.tensor.Tensor;

/** Mean squared error, {@code (x − y)²} (see {@link Losses#mse}). */
public class MSELoss implements Loss {

    private final Reduction reduction;

    /** With the mean over elements. */
    public MSELoss() {
        this(Reduction.MEAN);
    }

    public MSELoss(Reduction reduction) {
        this.reduction = reduction;
    }

    @Override
    public Tensor forward(Tensor input, Tensor target) {
        return Losses.mse(input, target, reduction);
    }
}
