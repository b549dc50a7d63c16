package dev.soma.nn;

import dev.soma.tensor.Generator;
import dev.soma.tensor.Shape;
import dev.soma.tensor.Tensor;
import java.util.Arrays;
import java.util.Map;

/**
 * Batch normalisation over a batch of images, as PyTorch's {@code nn.BatchNorm2d}:
 * {@code y = (x − E[x]) / √(Var[x] + ε) · γ + β} per channel c, the statistics taken over N, H and W.
 *
 * <p>Shapes: input {@code [N, C, H, W]} → output of the same shape; γ, β and the running statistics
 * {@code [C]}. Initialisation: γ = 1, β = 0, running mean 0, running variance 1. Training, evaluation,
 * momentum and the state-dict names are described in {@link BatchNorm}.
 */
public class BatchNorm2d extends BatchNorm {

    // BatchNorm1d.Spec is this record with another type and shape check: one record per layer type, each read in one place.
    /**
     * {@code batchnorm2d}: normalises each of {@code num_features} channels of {@code [C, H, W]},
     * shape unchanged; PyTorch's defaults eps 1e-5, momentum 0.1, affine true.
     */
    public record Spec(int numFeatures, float eps, float momentum, boolean affine) implements LayerSpec {
        public Spec {
            SpecChecks.positive("num_features", numFeatures);
            BatchNorm.checkSettings(eps, momentum);
        }

        public Spec(int numFeatures) {
            this(numFeatures, 1e-5f, 0.1f, true);
        }

        static Spec read(LayerArgs args) {
            return BatchNorm.read(args, Spec::new);
        }

        @Override
        public String type() {
            return "batchnorm2d";
        }

        @Override
        public long stateElements() {
            return BatchNorm.stateElements(numFeatures, affine);
        }

        @Override
        public Map<String, Object> args() {
            return BatchNorm.args(numFeatures, eps, momentum, affine);
        }

        @Override
        public int[] outputShape(int[] input, String given) {
            SpecChecks.requireImages(input, given, numFeatures, "channels");
            return input.clone();
        }

        @Override
        public BatchNorm2d build(Generator generator) {
            return new BatchNorm2d(numFeatures, eps, momentum, affine);
        }
    }

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
    @Override
    public Spec spec() {
        return new Spec(numFeatures(), eps(), momentum(), weight() != null);
    }

}
