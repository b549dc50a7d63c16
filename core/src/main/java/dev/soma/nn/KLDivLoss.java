package dev.soma.nn;

import dev.soma.tensor.Tensor;

/** Kullback–Leibler divergence, the input as log-probabilities, as PyTorch's {@code nn.KLDivLoss(reduction, log_target)}; {@link Reduction#BATCHMEAN} gives the true KL per sample (see {@link Losses#klDiv}). */
public class KLDivLoss implements Loss {

    private final Reduction reduction;
    private final boolean logTarget;

    /** With the mean over elements and probabilities as targets, PyTorch's defaults (its documentation recommends {@link Reduction#BATCHMEAN}). */
    public KLDivLoss() {
        this(Reduction.MEAN, false);
    }

    public KLDivLoss(Reduction reduction, boolean logTarget) {
        this.reduction = reduction;
        this.logTarget = logTarget;
    }

    @Override
    public Tensor forward(Tensor input, Tensor target) {
        return Losses.klDiv(input, target, reduction, logTarget);
    }
}
