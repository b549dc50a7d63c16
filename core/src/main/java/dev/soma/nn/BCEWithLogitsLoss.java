package dev.soma.nn;

import dev.soma.tensor.Tensor;

/**
 * Binary cross-entropy on logits, as PyTorch's {@code nn.BCEWithLogitsLoss(weight, reduction,
 * pos_weight)}: stable for any logit (see {@link Losses#binaryCrossEntropyWithLogits(Tensor, Tensor,
 * Tensor, Tensor, Reduction)}).
 */
public class BCEWithLogitsLoss implements Loss {

    private final Tensor weight;
    private final Reduction reduction;
    private final Tensor posWeight;

    /** With the mean over elements. */
    public BCEWithLogitsLoss() {
        this(Reduction.MEAN);
    }

    public BCEWithLogitsLoss(Reduction reduction) {
        this(null, reduction, null);
    }

    /**
     * With element weights and positive-class weights (one per class along the last dimension, so
     * {@code 3} counts each positive of that class three times), each broadcast against the input or
     * null. Not modified: {@code weight}, {@code posWeight}.
     */
    public BCEWithLogitsLoss(Tensor weight, Reduction reduction, Tensor posWeight) {
        this.weight = weight;
        this.reduction = reduction;
        this.posWeight = posWeight;
    }

    @Override
    public Tensor forward(Tensor input, Tensor target) {
        return Losses.binaryCrossEntropyWithLogits(input, target, weight, posWeight, reduction);
    }
}
