package dev.soma.nn;

import dev.soma.tensor.Generator;
import dev.soma.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A smooth relu, as PyTorch's {@code nn.Softplus}: {@code y = ln(1 + e^{βx}) / β}, and {@code y = x}
 * where {@code βx > threshold} (there the two differ by less than {@code e^{−threshold}/β}, and the
 * logarithm would only add rounding). Shape unchanged.
 */
public class Softplus extends Module {

    /** {@code softplus(beta, threshold)}, PyTorch's defaults β = 1, threshold = 20. */
    public record Spec(float beta, float threshold) implements LayerSpec {
        public Spec {
            SpecChecks.finite("threshold", threshold);
            if (!(beta != 0) || !Float.isFinite(beta)) {
                throw new IllegalArgumentException("beta must be finite and not 0, got " + beta);
            }
        }

        static Spec read(LayerArgs args) {
            return new Spec(args.number("beta", 1), args.number("threshold", 20));
        }

        @Override
        public String type() {
            return "softplus";
        }

        @Override
        public Map<String, Object> args() {
            Map<String, Object> args = new LinkedHashMap<>();
            args.put("beta", beta);
            args.put("threshold", threshold);
            return args;
        }

        @Override
        public Softplus build(Generator generator) {
            return new Softplus(beta, threshold);
        }
    }

    private final Spec spec;

    /** With PyTorch's defaults, β = 1 and threshold 20. */
    public Softplus() {
        this(1, 20);
    }

    public Softplus(float beta, float threshold) {
        this.spec = new Spec(beta, threshold);
    }

    @Override
    public Spec spec() {
        return spec;
    }

    @Override
    public Tensor forward(Tensor input) {
        return softplus(input, spec.beta(), spec.threshold());
    }

    /** Softplus as a function (PyTorch's {@code F.softplus}). Nothing is modified. */
    public static Tensor softplus(Tensor input, float beta, float threshold) {
        Tensor scaled = beta == 1 ? input : input.mul(beta);
        Tensor smooth = beta == 1 ? scaled.softplus() : scaled.softplus().div(beta);
        return Tensor.where(scaled.gt(threshold), input, smooth);
    }

    @Override
    protected String extraRepr() {
        return "beta=" + spec.beta() + ", threshold=" + spec.threshold();
    }
}
