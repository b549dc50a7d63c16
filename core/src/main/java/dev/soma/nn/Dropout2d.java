package dev.soma.nn;

import dev.soma.tensor.Generator;
import dev.soma.tensor.Tensor;
import java.util.Arrays;
import java.util.Map;

/**
 * Channel dropout (Tompson et al., 2015), as PyTorch's {@code nn.Dropout2d}: in training each channel
 * of each image is zeroed as a whole with probability p and the others are scaled by {@code 1/(1−p)};
 * in evaluation the layer is the identity. Neighbouring pixels are strongly correlated, so dropping
 * single ones (as {@link Dropout} does) barely regularises a convolution's features.
 *
 * <p>Shapes: {@code [N, C, H, W]} or {@code [C, H, W]}, unchanged; one draw per {@code (n, c)}.
 */
public class Dropout2d extends Module {

    /** {@code dropout2d(p)}, PyTorch's default p = 0.5. */
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
            return "dropout2d";
        }

        @Override
        public Map<String, Object> args() {
            return Map.of("p", p);
        }

        @Override
        public int[] outputShape(int[] input, String given) {
            SpecChecks.requireImages(input, given, -1, "channels");
            return input.clone();
        }

        /** A channel-dropout layer that draws its masks from {@code generator}. */
        @Override
        public Dropout2d build(Generator generator) {
            return new Dropout2d(p, generator);
        }
    }

    private final float p;
    private final Generator generator;

    /** Channel dropout with probability {@code p}, drawing masks from the global generator. */
    public Dropout2d(float p) {
        this(p, Generator.global());
    }

    public Dropout2d(float p, Generator generator) {
        new Spec(p);
        this.p = p;
        this.generator = generator;
    }

    @Override
    public Spec spec() {
        return new Spec(p);
    }

    @Override
    public Tensor forward(Tensor input) {
        if (input.dim() != 3 && input.dim() != 4) {
            throw new IllegalArgumentException("Dropout2d: expected input [N, C, H, W] or [C, H, W], got "
                    + Arrays.toString(input.shape()));
        }
        if (!isTraining() || p == 0) {
            return input;
        }
        int[] channels = input.shape();
        Arrays.fill(channels, input.dim() - 2, input.dim(), 1); // [N, C, 1, 1]: one draw per channel
        return Dropout.drop(input, channels, p, generator);
    }

    @Override
    protected String extraRepr() {
        return "p=" + p;
    }
}
