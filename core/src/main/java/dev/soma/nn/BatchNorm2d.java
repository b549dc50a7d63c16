package dev.soma.nn;

import dev.soma.tensor.Tensor;
import java.util.Arrays;

/**
 * Batch normalisation over a batch of images, as PyTorch's {@code nn.BatchNorm2d}:
 * {@code y = (x − E[x]) / √(Var[x] + ε) · γ + β} per channel c, the statistics taken over N, H and W.
 *
 * <p>Shapes: input {@code [N, C, H, W]} → output of the same shape; γ, β and the running statistics
 * {@code [C]}. Initialisation: γ = 1, β = 0, running mean 0, running variance 1. Training, evaluation,
 * momentum and the state-dict names are described in {@link BatchNorm}.
 */
public class BatchNorm2d extends BatchNorm {

    /** ε = 1e-5, momentum 0.1, with γ and β. */
    public BatchNorm2d(int numFeatures) {
        this(numFeatures, 1e-5f, 0.1f, true);
    }

    public BatchNorm2d(int numFeatures, float eps, float momentum, boolean affine) {
        super(numFeatures, eps, momentum, affine);
    }

    @Override
    protected void checkInput(Tensor input) {
        if (input.dim() != 4 || input.size(1) != numFeatures()) {
            throw new IllegalArgumentException("BatchNorm2d(" + extraRepr() + "): expected input [N, " + numFeatures()
                    + ", H, W], got " + Arrays.toString(input.shape()));
        }
    }
}
