package dev.soma.nn;

import dev.soma.tensor.Generator;
import dev.soma.tensor.Tensor;
import java.util.Map;

/** {@code eˣⁱ / Σⱼ eˣʲ} along {@code dim}: scores into probabilities that sum to 1, as PyTorch's {@code nn.Softmax}. */
public class Softmax extends Module {

    // LogSoftmax.Spec has the same shape: one record per layer type, so each type is read in one place.
    /** {@code softmax(dim)}: probabilities along {@code dim} of the batched tensor. */
    public record Spec(int dim) implements LayerSpec {
        static Spec read(LayerArgs args) {
            return new Spec(args.integer("dim"));
        }

        @Override
        public String type() {
            return "softmax";
        }

        @Override
        public Map<String, Object> args() {
            return Map.of("dim", dim);
        }

        @Override
        public int[] outputShape(int[] input, String given) {
            SpecChecks.batchedDim("dim", dim, input);
            return input.clone();
        }

        @Override
        public Softmax build(Generator generator) {
            return new Softmax(dim);
        }
    }

    private final int dim;

    public Softmax(int dim) {
        this.dim = dim;
    }

    @Override
    public Spec spec() {
        return new Spec(dim);
    }

    @Override
    public Tensor forward(Tensor input) {
        return input.softmax(dim);
    }

    @Override
    protected String extraRepr() {
        return "dim=" + dim;
    }
}

