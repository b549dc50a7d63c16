package dev.soma.nn;

import dev.soma.tensor.Tensor;

/** Huber loss, squared within {@code delta} of the target and absolute beyond, as PyTorch's {@code nn.HuberLoss} (see {@link Losses#huber}). */
public class HuberLoss implements Loss {

    private final Reduction reduction;
    private final float delta;

    /** With the mean over elements and {@code delta = 1}, PyTorch's defaults. */
    public HuberLoss() {
        this(Reduction.MEAN, 1);
    }

    public HuberLoss(Reduction reduction, float delta) {
        if (!(delta > 0)) {
            throw new IllegalArgumentException("HuberLoss: delta must be > 0, got " + delta);
        }
        this.reduction = reduction;
        this.delta = delta;
    }

    @Override
    public Tensor forward(Tensor input, Tensor target) {
        return Losses.huber(input, target, delta, reduction);
    }
}
