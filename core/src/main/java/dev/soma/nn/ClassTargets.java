package dev.soma.nn;

import dev.soma.tensor.DType;
import dev.soma.tensor.Shape;
import dev.soma.tensor.Tensor;
import java.util.Arrays;

/**
 * Log-probabilities and their class-index targets, as the negative log-likelihood and the
 * cross-entropy take them: scores {@code [N, C, d₁, …]} (or {@code [N, C]}, or {@code [C]}) with the
 * classes along dim 1 (dim 0 for one sample), and targets of the same shape without that dimension.
 * The scores are laid out as rows {@code [M, C]}, one per target; each target's weight is its class's
 * weight, 0 where the target is the ignored index.
 */
final class ClassTargets {

    /** PyTorch's default {@code ignore_index}, −100: a value no class index takes. */
    static final int NO_INDEX = -100;

    private final Tensor rows;
    private final int[] targetShape;
    private final Tensor classes;
    private final Tensor weights;
    private final Tensor kept;
    private final Tensor classWeight;

    private ClassTargets(Tensor rows, int[] targetShape, Tensor classes, Tensor weights, Tensor kept,
                         Tensor classWeight) {
        this.rows = rows;
        this.targetShape = targetShape;
        this.classes = classes;
        this.weights = weights;
        this.kept = kept;
        this.classWeight = classWeight;
    }

    static ClassTargets of(String op, Tensor scores, Tensor target, Tensor weight, int ignoreIndex) {
        int[] shape = scores.shape();
        int classDim = shape.length == 1 ? 0 : 1;
        int[] expected = shape.length == 0 ? null : new int[shape.length - 1];
        if (expected != null) {
            for (int d = 0, e = 0; d < shape.length; d++) {
                if (d != classDim) {
                    expected[e++] = shape[d];
                }
            }
        }
        if (expected == null || !Arrays.equals(expected, target.shape())) {
            throw new IllegalArgumentException(op + ": input " + Shape.format(scores.shape()) + " and target "
                    + Shape.format(target.shape()) + " must be [N, C] and [N], [N, C, d1, …] and [N, d1, …],"
                    + " or [C] and []");
        }
        int count = shape[classDim];
        if (weight != null && (weight.dim() != 1 || weight.size(0) != count)) {
            throw new IllegalArgumentException(op + ": weight " + Shape.format(weight.shape()) + " must be ["
                    + count + "], one per class");
        }
        if (target.dtype() != DType.INT64 && target.dtype() != DType.INT32) {
            throw new IllegalArgumentException(op + ": expected int64 (or int32) class indices as target, got "
                    + target.dtype() + (target.dtype().isFloatingPoint() ? " (convert with toLong())" : ""));
        }
        float[] classWeights = weight == null ? null : weight.toArray();
        long[] t = target.toLongArray();
        long[] safe = new long[t.length];
        float[] w = new float[t.length];
        float[] keep = new float[t.length];
        for (int i = 0; i < t.length; i++) {
            if (t[i] == ignoreIndex) {
                continue;
            }
            if (t[i] < 0 || t[i] >= count) {
                throw new IllegalArgumentException(op + ": target " + t[i] + " at position " + i
                        + " is not a class index in [0, " + count + ")"
                        + (ignoreIndex == NO_INDEX ? "" : " nor the ignored index " + ignoreIndex));
            }
            safe[i] = t[i];
            keep[i] = 1;
            w[i] = classWeights == null ? 1 : classWeights[(int) t[i]];
        }
        Tensor rows = scores;
        if (shape.length == 1) {
            rows = scores.view(1, count);
        } else if (shape.length > 2) {
            int[] order = new int[shape.length];
            order[0] = 0;
            for (int d = 2; d < shape.length; d++) {
                order[d - 1] = d;
            }
            order[shape.length - 1] = 1;
            rows = scores.permute(order).reshape(-1, count);
        }
        return new ClassTargets(rows, target.shape(), Tensor.ofLongs(safe, t.length, 1), Tensor.of(w, t.length),
                Tensor.of(keep, t.length), weight);
    }

    /**
     * The loss {@code −w[yᵢ]·score[i, yᵢ]}, with label smoothing ε mixing in {@code ε/C} of
     * {@code Σ_c −w[c]·score[i, c]}; the mean divides by the targets' total weight, and the smoothing
     * term's, without class weights, by the number of targets (ignored ones included), as PyTorch 1.13.
     */
    Tensor loss(float smoothing, Reduction reduction) {
        int count = rows.size(0);
        Tensor losses = rows.gather(1, classes).view(count).mul(weights).neg();
        Tensor total = weights.sum();
        Tensor reduced = reduce(losses, total, reduction);
        if (smoothing == 0) {
            return reduced;
        }
        Tensor weighted = classWeight == null ? rows : rows.mul(classWeight);
        Tensor smooth = weighted.sum(1).neg().mul(kept);
        Tensor smoothReduced = classWeight == null && reduction == Reduction.MEAN ? smooth.mean()
                : reduce(smooth, total, reduction);
        return reduced.mul(1 - smoothing).add(smoothReduced.mul(smoothing / rows.size(1)));
    }

    private Tensor reduce(Tensor losses, Tensor total, Reduction reduction) {
        return switch (reduction) {
            case MEAN -> losses.sum().div(total);
            case SUM -> losses.sum();
            case NONE -> losses.view(targetShape);
            case BATCHMEAN -> throw new IllegalArgumentException("reduction batchmean is KLDivLoss's only");
        };
    }
}
