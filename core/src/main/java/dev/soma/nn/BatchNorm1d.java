package dev.soma.nn;

import dev.soma.tensor.Tensor;
import java.util.Arrays;

/**
 * Batch normalisation over a batch of feature vectors or sequences, as PyTorch's
 * {@code nn.BatchNorm1d}: {@code y = (x − E[x]) / √(Var[x] + ε) · γ + β} per feature c, the
 * statistics taken over N (and L).
 *
 * <p>Shapes: input {@code [N, C]} or {@code [N, C, L]} → output of the same shape; γ, β and the
 * running statistics {@code [C]}. Initialisation: γ = 1, β = 0, running mean 0, running variance 1.
 * Training, evaluation, momentum and the state-dict names are described in {@link BatchNorm}.
 */
public class BatchNorm1d extends BatchNorm {

    /** ε = 1e-5, momentum 0.1, with γ and β. */
    public BatchNorm1d(int numFeatures) {
        this(numFeatures, 1e-5f, 0.1f, true);
    }

    public BatchNorm1d(int numFeatures, float eps, float momentum, boolean affine) {
        super(numFeatures, eps, momentum, affine);
    }

    @Override
    protected void checkInput(Tensor input) {
        if ((input.dim() != 2 && input.dim() != 3) || input.size(1) != numFeatures()) {
            throw new IllegalArgumentException("BatchNorm1d(" + extraRepr() + "): expected input [N, " + numFeatures()
                    + "] or [N, " + numFeatures() + ", L], got " + Arrays.toString(input.shape()));
        }
    }
}
