package dev.soma.nn;

import dev.soma.tensor.Generator;
import dev.soma.tensor.Tensor;
import java.util.Map;

/** {@code xᵢ - ln Σⱼ eˣʲ} along {@code dim}: log-probabilities, computed stably, as PyTorch's {@code nn.LogSoftmax}. */
public class LogSoftmax extends Module {

    // Softmax.Spec has the same shape: one record per layer type, so each type is read in one place.
    /** {@code log_softmax(dim)}: log-probabilities along {@code dim} of the batched tensor. */
    public record Spec(int dim) implements LayerSpec {
        static Spec read(LayerArgs args) {
            return new Spec(args.integer("dim"));
        }

        @Override
        public String type() {
            return "log_softmax";
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
        public LogSoftmax build(Generator generator) {
            return new LogSoftmax(dim);
        }
    }

    private final int dim;

    public LogSoftmax(int dim) {
        this.dim = dim;
    }

    @Override
    public Spec spec() {
        return new Spec(dim);
    }

    @Override
    public Tensor forward(Tensor input) {
        return input.logSoftmax(dim);
    }

    @Override
    protected String extraRepr() {
        return "dim=" + dim;
    }
}

