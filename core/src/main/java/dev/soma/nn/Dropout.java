package dev.soma.nn;

import dev.soma.tensor.Generator;
import dev.soma.tensor.Tensor;
import java.util.Map;

/**
 * Inverted dropout (Srivastava et al., 2014), as PyTorch's {@code nn.Dropout}: in training each
 * element is zeroed with probability p and the survivors are scaled by {@code 1/(1-p)}, so the
 * expected output equals the input; in evaluation the layer is the identity.
 */
public class Dropout extends Module {

    /** {@code dropout(p)}, PyTorch's default p = 0.5. */
    public record Spec(float p) implements LayerSpec {
        public Spec {
            if (!(p >= 0 && p <= 1)) {
                throw new IllegalArgumentException("p must be in [0, 1], got " + p);
            }
        }

        static Spec read(LayerArgs args) {
            return new Spec(args.number("p", 0.5f));
        }

        @Override
        public String type() {
            return "dropout";
        }

        @Override
        public Map<String, Object> args() {
            return Map.of("p", p);
        }

        /** A dropout layer that draws its masks from {@code generator}. */
        @Override
        public Dropout build(Generator generator) {
            return new Dropout(p, generator);
        }
    }

    private final float p;
    private final Generator generator;

    /** Dropout with probability {@code p}, drawing masks from the global generator. */
    public Dropout(float p) {
        this(p, Generator.global());
    }

    public Dropout(float p, Generator generator) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("Dropout: p must be in [0, 1], got " + p);
        }
        this.p = p;
        this.generator = generator;
    }

    @Override
    public Spec spec() {
        return new Spec(p);
    }

    @Override
    public Tensor forward(Tensor input) {
        if (!isTraining() || p == 0) {
            return input;
        }
        return drop(input, input.shape(), p, generator);
    }

    /**
     * {@code input} times a mask of shape {@code maskShape} (broadcast against it), each entry kept
     * with probability 1 − p and scaled by 1/(1 − p), drawn from {@code generator}; all zeros when
     * p = 1. {@link Dropout2d} uses it with one entry per channel.
     */
    static Tensor drop(Tensor input, int[] maskShape, float p, Generator generator) {
        if (p == 1) {
            return input.mul(0f);
        }
        Tensor keep = Tensor.rand(generator, maskShape).ge(Tensor.scalar(p));
        return input.mul(keep.mul(1 / (1 - p)));
    }

    @Override
    protected String extraRepr() {
        return "p=" + p;
    }
}
