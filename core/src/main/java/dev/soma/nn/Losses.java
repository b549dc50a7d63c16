package dev.soma.nn;

import dev.soma.tensor.Ops;
import dev.soma.tensor.Shape;
import dev.soma.tensor.Tensor;
import java.util.Arrays;

/**
 * The loss functions, as PyTorch's {@code torch.nn.functional}, composed from differentiable tensor
 * ops so their gradients follow by autograd. The loss modules ({@link MSELoss}, …) call these.
 */
public final class Losses {

    private Losses() {
    }

    /** Mean squared error: {@code ℓᵢ = (xᵢ − yᵢ)²}. Input and target have the same shape. */
    public static Tensor mse(Tensor input, Tensor target, Reduction reduction) {
        requireSameShape("mse", input, target);
        Tensor diff = input.sub(target);
        return reduction.apply(diff.mul(diff));
    }

    /**
     * Binary cross-entropy on probabilities: {@code ℓᵢ = −(yᵢ·ln xᵢ + (1 − yᵢ)·ln(1 − xᵢ))}, each
     * logarithm clamped at −100 (as PyTorch) so that a probability of exactly 0 or 1 gives a finite loss
     * and a finite gradient.
     */
    public static Tensor binaryCrossEntropy(Tensor input, Tensor target, Reduction reduction) {
        requireSameShape("binaryCrossEntropy", input, target);
        return reduction.apply(Ops.binaryCrossEntropy(input, target)); // fused, unless Ops is told otherwise
    }

    /**
     * Binary cross-entropy on logits: {@code ℓᵢ = wᵢ·((1 − yᵢ)·xᵢ + (1 + (pᵢ − 1)·yᵢ)·softplus(−xᵢ))}, which
     * is {@code −wᵢ·(pᵢ·yᵢ·ln σ(xᵢ) + (1 − yᵢ)·ln(1 − σ(xᵢ)))} without its cancellation for large
     * {@code |x|}. The element weight {@code w} and the positive-class weight {@code p} (PyTorch's
     * {@code pos_weight}, one per class along the last dimension) broadcast against the input; either may
     * be null (1).
     */
    public static Tensor binaryCrossEntropyWithLogits(Tensor logits, Tensor target, Tensor weight, Tensor posWeight,
                                                      Reduction reduction) {
        requireSameShape("binaryCrossEntropyWithLogits", logits, target);
        Tensor notTarget = target.neg().add(1);
        Tensor positive = posWeight == null ? Tensor.scalar(1) : posWeight.sub(1).mul(target).add(1);
        Tensor losses = notTarget.mul(logits).add(positive.mul(logits.neg().softplus()));
        return reduction.apply(weight == null ? losses : losses.mul(weight));
    }

    /** {@link #binaryCrossEntropyWithLogits(Tensor, Tensor, Tensor, Tensor, Reduction)} without weights. */
    public static Tensor binaryCrossEntropyWithLogits(Tensor logits, Tensor target, Reduction reduction) {
        return binaryCrossEntropyWithLogits(logits, target, null, null, reduction);
    }

    /**
     * Negative log-likelihood of class indices: {@code ℓᵢ = −w[yᵢ]·x[i, yᵢ]}, 0 where {@code yᵢ} is
     * {@code ignoreIndex}; input {@code [N, C]} (or {@code [C]}, or {@code [N, C, d₁, …]} with one
     * target per position), target {@code [N]} ({@code []}, {@code [N, d₁, …]}) of class indices. The
     * mean divides by {@code Σ w[yᵢ]} over the targets not ignored, as PyTorch. {@code weight [C]} may be
     * null (all 1).
     */
    public static Tensor nll(Tensor logProbs, Tensor target, Tensor weight, int ignoreIndex, Reduction reduction) {
        return ClassTargets.of("nll", logProbs, target, weight, ignoreIndex).loss(0, reduction);
    }

    public static Tensor nll(Tensor logProbs, Tensor target, Reduction reduction) {
        return nll(logProbs, target, null, ClassTargets.NO_INDEX, reduction);
    }

    /** Cross-entropy of logits and class indices: {@link #nll} of {@code logSoftmax} over the classes. */
    public static Tensor crossEntropy(Tensor logits, Tensor target, Reduction reduction) {
        return crossEntropy(logits, target, null, ClassTargets.NO_INDEX, 0, reduction);
    }

    public static Tensor crossEntropy(Tensor logits, Tensor target, float labelSmoothing, Reduction reduction) {
        return crossEntropy(logits, target, null, ClassTargets.NO_INDEX, labelSmoothing, reduction);
    }

    /**
     * Cross-entropy with PyTorch's arguments: class weights ({@code [C]} or null), an ignored target
     * value, and label smoothing ε, which mixes in {@code ε/C} of the (weighted) cross-entropy against
     * every class: {@code (1 − ε)·nll + ε/C·Σ_c −w[c]·ln p[i, c]}. Shapes as {@link #nll}.
     */
    public static Tensor crossEntropy(Tensor logits, Tensor target, Tensor weight, int ignoreIndex,
                                      float labelSmoothing, Reduction reduction) {
        if (!(labelSmoothing >= 0 && labelSmoothing <= 1)) {
            throw new IllegalArgumentException("crossEntropy: labelSmoothing must be in [0, 1], got " + labelSmoothing);
        }
        Tensor logProbs = logits.dim() == 0 ? logits : logits.logSoftmax(logits.dim() == 1 ? 0 : 1);
        return ClassTargets.of("crossEntropy", logProbs, target, weight, ignoreIndex).loss(labelSmoothing, reduction);
    }

    /** Mean absolute error: {@code ℓᵢ = |xᵢ − yᵢ|}, whose gradient at {@code xᵢ = yᵢ} is 0, as PyTorch's. */
    public static Tensor l1(Tensor input, Tensor target, Reduction reduction) {
        requireSameShape("l1", input, target);
        return reduction.apply(input.sub(target).abs());
    }

    /**
     * Huber loss: {@code ℓᵢ = ½dᵢ²} where {@code |dᵢ| < δ}, else {@code δ·(|dᵢ| − ½δ)}, {@code dᵢ = xᵢ − yᵢ}:
     * squared near the target, absolute (slope δ) far from it.
     */
    public static Tensor huber(Tensor input, Tensor target, float delta, Reduction reduction) {
        requireSameShape("huber", input, target);
        if (!(delta > 0)) {
            throw new IllegalArgumentException("huber: delta must be > 0, got " + delta);
        }
        Tensor d = input.sub(target);
        Tensor size = d.abs();
        return reduction.apply(Tensor.where(size.lt(delta), d.mul(d).mul(0.5f), size.sub(0.5f * delta).mul(delta)));
    }

    /**
     * Smooth L1 loss: {@code ℓᵢ = ½dᵢ²/β} where {@code |dᵢ| < β}, else {@code |dᵢ| − ½β}: Huber's loss
     * divided by β, so its slope far away is 1; β = 0 is the L1 loss.
     */
    public static Tensor smoothL1(Tensor input, Tensor target, float beta, Reduction reduction) {
        requireSameShape("smoothL1", input, target);
        if (!(beta >= 0)) {
            throw new IllegalArgumentException("smoothL1: beta must be ≥ 0, got " + beta);
        }
        if (beta == 0) {
            return l1(input, target, reduction);
        }
        Tensor d = input.sub(target);
        Tensor size = d.abs();
        return reduction.apply(Tensor.where(size.lt(beta), d.mul(d).mul(0.5f / beta), size.sub(0.5f * beta)));
    }

    /**
     * Kullback–Leibler divergence of the target from the input, the input as log-probabilities:
     * {@code ℓᵢ = yᵢ·(ln yᵢ − xᵢ)}, 0 where {@code yᵢ = 0}; with {@code logTarget} the target is
     * log-probabilities too, {@code ℓᵢ = e^{yᵢ}·(yᵢ − xᵢ)}. {@link Reduction#BATCHMEAN} gives the
     * divergence per sample (the mathematical KL of each row, averaged).
     */
    public static Tensor klDiv(Tensor input, Tensor target, Reduction reduction, boolean logTarget) {
        requireSameShape("klDiv", input, target);
        Tensor losses;
        if (logTarget) {
            losses = target.exp().mul(target.sub(input));
        } else {
            Tensor safe = Tensor.where(target.gt(0), target, Tensor.ones(target.shape())); // 0·ln 0 = 0
            losses = target.mul(safe.log().sub(input));
        }
        return reduction.apply(losses);
    }

    private static void requireSameShape(String op, Tensor input, Tensor target) {
        if (!Arrays.equals(input.shape(), target.shape())) {
            throw new IllegalArgumentException(op + ": input shape " + Shape.format(input.shape())
                    + " and target shape " + Shape.format(target.shape()) + " differ");
        }
    }
}
