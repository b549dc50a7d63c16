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
     * Binary cross-entropy on logits z, fused with the sigmoid for stability:
     * {@code ℓᵢ = (1 − yᵢ)·zᵢ + softplus(−zᵢ)}, equal to {@code −(y ln σ(z) + (1−y) ln(1−σ(z)))} but
     * finite at any z. Its gradient is {@code σ(z) − y}.
     */
    public static Tensor binaryCrossEntropyWithLogits(Tensor logits, Tensor target, Reduction reduction) {
        requireSameShape("binaryCrossEntropyWithLogits", logits, target);
        Tensor losses = target.neg().add(1).mul(logits).add(logits.neg().softplus());
        return reduction.apply(losses);
    }

    /**
     * Negative log-likelihood of class indices: {@code ℓᵢ = −logProbs[i, targetᵢ]}. Shapes:
     * log-probabilities {@code [N, C]} with targets {@code [N]}, or {@code [C]} with a rank-0 target.
     */
    public static Tensor nll(Tensor logProbs, Tensor target, Reduction reduction) {
        return reduction.apply(pickTargets("nll", logProbs, target).neg());
    }

    /** Cross-entropy of logits and class indices: {@code ℓᵢ = −logSoftmax(x)[i, targetᵢ]}. */
    public static Tensor crossEntropy(Tensor logits, Tensor target, Reduction reduction) {
        return crossEntropy(logits, target, 0, reduction);
    }

    /**
     * Cross-entropy with label smoothing ε (Szegedy et al., 2016, as PyTorch): the target distribution
     * puts {@code 1 − ε + ε/C} on the true class and {@code ε/C} on the others, so
     * {@code ℓᵢ = (1 − ε)·(−log pᵢ,ₜ) + ε·(−(1/C)·Σ_c log pᵢ,c)}.
     */
    public static Tensor crossEntropy(Tensor logits, Tensor target, float labelSmoothing, Reduction reduction) {
        if (!(labelSmoothing >= 0 && labelSmoothing <= 1)) {
            throw new IllegalArgumentException("crossEntropy: labelSmoothing must be in [0, 1], got " + labelSmoothing);
        }
        Tensor logProbs = logits.dim() == 0 ? logits : logits.logSoftmax(-1);
        Tensor nll = pickTargets("crossEntropy", logProbs, target).neg();
        if (labelSmoothing > 0) {
            Tensor uniform = logProbs.mean(new int[] {-1}, false).neg();
            nll = nll.mul(1 - labelSmoothing).add(uniform.mul(labelSmoothing));
        }
        return reduction.apply(nll);
    }

    /** {@code scores[i, targetᵢ]} for each row, with the shapes and class indices checked. */
    private static Tensor pickTargets(String op, Tensor scores, Tensor target) {
        boolean batched = scores.dim() == 2 && target.dim() == 1 && target.size(0) == scores.size(0);
        boolean single = scores.dim() == 1 && target.dim() == 0;
        if (!batched && !single) {
            throw new IllegalArgumentException(op + ": input " + Shape.format(scores.shape()) + " and target "
                    + Shape.format(target.shape()) + " must be [N, C] and [N] (or [C] and [])");
        }
        int classes = scores.size(-1);
        float[] t = target.toArray();
        for (int i = 0; i < t.length; i++) {
            if (t[i] != Math.rint(t[i]) || t[i] < 0 || t[i] >= classes) {
                throw new IllegalArgumentException(op + ": target " + t[i] + " at position " + i
                        + " is not a class index in [0, " + classes + ")");
            }
        }
        if (single) {
            return scores.gather(0, target.reshape(1)).reshape();
        }
        return scores.gather(1, target.reshape(-1, 1)).reshape(-1);
    }

    private static void requireSameShape(String op, Tensor input, Tensor target) {
        if (!Arrays.equals(input.shape(), target.shape())) {
            throw new IllegalArgumentException(op + ": input shape " + Shape.format(input.shape())
                    + " and target shape " + Shape.format(target.shape()) + " differ");
        }
    }
}
