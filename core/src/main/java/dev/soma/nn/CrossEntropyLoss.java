package dev.soma.nn;

import dev.soma.tensor.Tensor;

/**
 * Cross-entropy of logits {@code [N, C]} (or {@code [N, C, d₁, …]}) against class indices {@code [N]}
 * ({@code [N, d₁, …]}), as PyTorch's {@code nn.CrossEntropyLoss(weight, ignore_index, reduction,
 * label_smoothing)}: class weights, an ignored target value (−100 by default) and label smoothing
 * (see {@link Losses#crossEntropy(Tensor, Tensor, Tensor, int, float, Reduction)}).
 */
public class CrossEntropyLoss implements Loss {

    private final Tensor weight;
    private final int ignoreIndex;
    private final Reduction reduction;
    private final float labelSmoothing;

    /** The mean over the batch, no label smoothing. */
    public CrossEntropyLoss() {
        this(Reduction.MEAN, 0);
    }

    public CrossEntropyLoss(Reduction reduction, float labelSmoothing) {
        this(null, ClassTargets.NO_INDEX, reduction, labelSmoothing);
    }

    /**
     * With class weights {@code [C]} (or null) and targets equal to {@code ignoreIndex} left out (−100,
     * PyTorch's default, leaves none out). Not modified: {@code weight}.
     */
    public CrossEntropyLoss(Tensor weight, int ignoreIndex, Reduction reduction, float labelSmoothing) {
        if (!(labelSmoothing >= 0 && labelSmoothing <= 1)) {
            throw new IllegalArgumentException("CrossEntropyLoss: labelSmoothing must be in [0, 1], got " + labelSmoothing);
        }
        this.weight = weight;
        this.ignoreIndex = ignoreIndex;
        this.reduction = reduction;
        this.labelSmoothing = labelSmoothing;
    }

    @Override
    public Tensor forward(Tensor input, Tensor target) {
        return Losses.crossEntropy(input, target, weight, ignoreIndex, labelSmoothing, reduction);
    }
}
