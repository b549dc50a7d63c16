package dev.soma.optim;

import dev.soma.tensor.Tensor;
import java.util.List;
import java.util.Map;

/**
 * RMSprop, with optional L2 weight decay, momentum and centering, exactly as PyTorch's
 * {@code torch.optim.RMSprop}. For each parameter θ with gradient g, at each step:
 *
 * <pre>
 *   g ← g + λθ                         if λ ≠ 0        (weight decay)
 *   v ← αv + (1 − α)g²                                 (square average, v₀ = 0)
 *   ṽ ← v
 *   if centered:
 *       ḡ ← αḡ + (1 − α)g                              (gradient average, ḡ₀ = 0)
 *       ṽ ← v − ḡ²
 *   if μ > 0:
 *       b ← μb + g / (√ṽ + ε)                          (buffer, b₀ = 0)
 *       θ ← θ − γb
 *   else:
 *       θ ← θ − γ g / (√ṽ + ε)
 * </pre>
 *
 * The square root is taken before ε is added (TensorFlow adds ε first), as in PyTorch. Defaults:
 * γ = 1e-2, α = 0.99, ε = 1e-8, λ = 0, μ = 0, not centered. Reference: Hinton, Lecture 6e of "Neural
 * Networks for Machine Learning", 2012; the centered form from Graves, "Generating Sequences With
 * Recurrent Neural Networks", 2013.
 */
public final class RMSprop extends Optimizer {

    private final double alpha;
    private final double eps;
    private final double weightDecay;
    private final double momentum;
    private final boolean centered;
    private final float[][] squareAverages;
    /** ḡ per parameter, when centered. */
    private final float[][] gradAverages;
    /** b per parameter, with momentum. */
    private final float[][] momentumBuffers;

    /** RMSprop with PyTorch's defaults. */
    public RMSprop(List<Tensor> params) {
        this(builder(params));
    }

    private RMSprop(Builder options) {
        super(options.params, options.lr);
        this.alpha = requireAtLeastZero("alpha", options.alpha);
        this.eps = requireAtLeastZero("eps", options.eps);
        this.weightDecay = requireAtLeastZero("weightDecay", options.weightDecay);
        this.momentum = requireAtLeastZero("momentum", options.momentum);
        this.centered = options.centered;
        this.squareAverages = registerBuffers("square_avg");
        this.gradAverages = registerBuffers("grad_avg");
        this.momentumBuffers = registerBuffers("momentum_buffer");
    }

    @Override
    protected Map<String, Object> hyperparameters() {
        Map<String, Object> h = super.hyperparameters();
        h.put("alpha", alpha);
        h.put("eps", eps);
        h.put("weight_decay", weightDecay);
        h.put("momentum", momentum);
        h.put("centered", centered);
        return h;
    }

    /** Options with PyTorch's defaults, for {@code RMSprop.builder(params).momentum(0.9).build()}. */
    public static Builder builder(List<Tensor> params) {
        return new Builder(params);
    }

    @Override
    protected void update(int index, int step, float[] param, float[] grad) {
        if (squareAverages[index] == null) {
            squareAverages[index] = new float[param.length];
            gradAverages[index] = centered ? new float[param.length] : null;
            momentumBuffers[index] = momentum > 0 ? new float[param.length] : null;
        }
        float[] v = squareAverages[index];
        float[] gAverage = gradAverages[index];
        float[] b = momentumBuffers[index];
        // In float with the constants rounded once, so that C2 vectorises the loop (see Adam).
        float gamma = (float) lr();
        float lambda = (float) weightDecay;
        float a = (float) alpha;
        float oneMinusA = (float) (1 - alpha);
        float epsilon = (float) eps;
        float mu = (float) momentum;
        for (int i = 0; i < param.length; i++) {
            float g = lambda == 0 ? grad[i] : grad[i] + lambda * param[i];
            float variance = a * v[i] + oneMinusA * g * g;
            v[i] = variance;
            if (centered) {
                float mean = a * gAverage[i] + oneMinusA * g;
                gAverage[i] = mean;
                // NOTE: v − ḡ² ≥ 0 in exact arithmetic; rounding can take it just below 0 once the
                // gradient has been constant for long, where PyTorch would produce NaN.
                variance = Math.max(0f, variance - mean * mean);
            }
            float denominator = (float) Math.sqrt(variance) + epsilon;
            if (mu > 0) {
                float bi = mu * b[i] + g / denominator;
                b[i] = bi;
                param[i] = param[i] - gamma * bi;
            } else {
                param[i] = param[i] - gamma * g / denominator;
            }
        }
    }

    @Override
    public String toString() {
        return "RMSprop(lr=" + lr() + ", alpha=" + alpha + ", eps=" + eps + ", weightDecay=" + weightDecay
                + ", momentum=" + momentum + ", centered=" + centered + ")";
    }

    /** RMSprop's hyperparameters; each setter returns this builder. */
    public static final class Builder {
        private final List<Tensor> params;
        private double lr = 1e-2;
        private double alpha = 0.99;
        private double eps = 1e-8;
        private double weightDecay;
        private double momentum;
        private boolean centered;

        private Builder(List<Tensor> params) {
            this.params = params;
        }

        /** γ ≥ 0. */
        public Builder lr(double lr) {
            this.lr = lr;
            return this;
        }

        /** α ≥ 0, the smoothing constant of the averages. */
        public Builder alpha(double alpha) {
            this.alpha = alpha;
            return this;
        }

        /** ε ≥ 0, added to the denominator after the square root. */
        public Builder eps(double eps) {
            this.eps = eps;
            return this;
        }

        /** λ ≥ 0, the L2 penalty added to the gradient. */
        public Builder weightDecay(double weightDecay) {
            this.weightDecay = weightDecay;
            return this;
        }

        /** μ ≥ 0; 0 turns momentum off. */
        public Builder momentum(double momentum) {
            this.momentum = momentum;
            return this;
        }

        /** Normalise by an estimate of the gradient's variance, v − ḡ², instead of v. */
        public Builder centered(boolean centered) {
            this.centered = centered;
            return this;
        }

        public RMSprop build() {
            return new RMSprop(this);
        }
    }
}
