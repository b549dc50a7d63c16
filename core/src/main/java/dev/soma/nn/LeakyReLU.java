package dev.soma.nn;

import dev.soma.tensor.Generator;
import dev.soma.tensor.Tensor;
import java.util.Map;

/** {@code x} where positive, {@code negativeSlope·x} elsewhere, as PyTorch's {@code nn.LeakyReLU}. */
public class LeakyReLU extends Module {

    /** {@code leaky_relu(negative_slope)}, PyTorch's default slope 0.01. */
    public record Spec(float negativeSlope) implements LayerSpec {
        public Spec {
            SpecChecks.finite("negative_slope", negativeSlope);
        }

        static Spec read(LayerArgs args) {
            return new Spec(args.number("negative_slope", 0.01f));
        }

        @Override
        public String type() {
            return "leaky_relu";
        }

        @Override
        public Map<String, Object> args() {
            return Map.of("negative_slope", negativeSlope);
        }

        @Override
        public LeakyReLU build(Generator generator) {
            return new LeakyReLU(negativeSlope);
        }
    }

    private final float negativeSlope;

    /** With PyTorch's default slope, 0.01. */
    public LeakyReLU() {
        this(0.01f);
    }

    public LeakyReLU(float negativeSlope) {
        this.negativeSlope = negativeSlope;
    }

    @Override
    public Spec spec() {
        return new Spec(negativeSlope);
    }

    @Override
    public Tensor forward(Tensor input) {
        return input.leakyRelu(negativeSlope);
    }

    @Override
    protected String extraRepr() {
        return "negative_slope=" + negativeSlope;
    }
}
