package dev.soma.optim;

import dev.soma.tensor.Tensor;
import dev.soma.tensor.kernel.Tuning;
import dev.soma.tensor.kernel.Workers;
import java.util.List;
import java.util.Map;

/**
 * Adam, with optional L2 weight decay and the AMSGrad variant, exactly as PyTorch's
 * {@code torch.optim.Adam}. For each parameter θ with gradient g, at its step t:
 *
 * <pre>
 *   g ← g + λθ                               if λ ≠ 0        (L2 weight decay, in the gradient)
 *   m ← β₁m + (1 − β₁)g                                      (first moment, m₀ = 0)
 *   v ← β₂v + (1 − β₂)g²                                     (second moment, v₀ = 0)
 *   m̂ ← m / (1 − β₁ᵗ)
 *   v̂ ← v / (1 − β₂ᵗ)                        without AMSGrad
 *   vₘₐₓ ← max(vₘₐₓ, v),  v̂ ← vₘₐₓ / (1 − β₂ᵗ)   with AMSGrad  (vₘₐₓ,₀ = 0)
 *   θ ← θ − γ m̂ / (√v̂ + ε)
 * </pre>
 *
 * AMSGrad keeps the maximum of the raw v and bias-corrects it with the current t, as PyTorch's code
 * and its current documentation do (PyTorch 1.13's documentation wrote the maximum of v̂ instead).
 * Defaults: γ = 1e-3, (β₁, β₂) = (0.9, 0.999), ε = 1e-8, λ = 0, AMSGrad off. {@link AdamW} is this rule
 * with decoupled weight decay. Reference: Kingma and Ba, "Adam: A Method for Stochastic Optimization",
 * 2014; Reddi et al., "On the Convergence of Adam and Beyond", 2018.
 */
public class Adam extends Optimizer {

    private static final Workers WORKERS = Workers.active();

    private final double beta1;
    private final double beta2;
    private final double eps;
    private final double weightDecay;
    private final boolean amsgrad;
    private final boolean decoupledWeightDecay;
    private final float[][] firstMoments;
    private final float[][] secondMoments;
    /** vₘₐₓ per parameter, with AMSGrad only. */
    private final float[][] maxSecondMoments;

    /** Adam with PyTorch's defaults. */
    public Adam(List<Tensor> params) {
        this(builder(params));
    }

    Adam(Builder options) {
        super(options.params, options.lr);
        this.beta1 = requireBelowOne("beta1", options.beta1);
        this.beta2 = requireBelowOne("beta2", options.beta2);
        this.eps = requireAtLeastZero("eps", options.eps);
        this.weightDecay = requireAtLeastZero("weightDecay", options.weightDecay);
        this.amsgrad = options.amsgrad;
        this.decoupledWeightDecay = options.decoupledWeightDecay;
        this.firstMoments = registerBuffers("exp_avg");
        this.secondMoments = registerBuffers("exp_avg_sq");
        this.maxSecondMoments = registerBuffers("max_exp_avg_sq");
    }

    @Override
    protected Map<String, Object> hyperparameters() {
        Map<String, Object> h = super.hyperparameters();
        h.put("betas", List.of(beta1, beta2));
        h.put("eps", eps);
        h.put("weight_decay", weightDecay);
        h.put("amsgrad", amsgrad);
        h.put("decoupled_weight_decay", decoupledWeightDecay);
        return h;
    }

    /** Options with PyTorch's defaults, for {@code Adam.builder(params).lr(3e-4).build()}. */
    public static Builder builder(List<Tensor> params) {
        return new Builder(params, false, 0);
    }

    @Override
    protected void update(int index, int step, float[] param, float[] grad) {
        if (firstMoments[index] == null) {
            firstMoments[index] = new float[param.length];
            secondMoments[index] = new float[param.length];
            maxSecondMoments[index] = amsgrad ? new float[param.length] : null;
        }
        float[] m = firstMoments[index];
        float[] v = secondMoments[index];
        float[] vMax = maxSecondMoments[index];
        double lr = lr();
        // NOTE: the loop computes in float with the constants rounded once, so that C2 vectorises it
        // (about ten times faster than the same loop in double). The only rounding it adds is in the
        // update term, a few ulps of γ·m̂/(√v̂ + ε), far below the rounding of θ itself.
        var rule = new Rule((float) (lr / (1 - Math.pow(beta1, step))),
                (float) (1 / Math.sqrt(1 - Math.pow(beta2, step))),
                decoupledWeightDecay ? 0f : (float) weightDecay,
                decoupledWeightDecay ? (float) (1 - lr * weightDecay) : 1f,
                (float) beta1, (float) beta2, (float) (1 - beta1), (float) (1 - beta2), (float) eps);
        // The update reads and writes 28 bytes per parameter: memory-bound, so large parameters are
        // split over both cores (each element's update is independent, so the split changes nothing).
        int n = param.length;
        int parts = n >= Tuning.ADAM_PARALLEL_ELEMENTS ? WORKERS.threads() : 1;
        WORKERS.run(parts, part -> rule.apply(param, grad, m, v, vMax, part * n / parts, (part + 1) * n / parts));
    }

    /** Adam's update with this step's constants, in float (see the note in {@link #update}). */
    private record Rule(float stepSize, float inverseBiasCorrection2, float l2, float decay, float b1, float b2,
                        float oneMinusB1, float oneMinusB2, float epsilon) {

        /** Updates elements {@code [from, to)}; {@code vMax} is null unless AMSGrad. */
        void apply(float[] param, float[] grad, float[] m, float[] v, float[] vMax, int from, int to) {
            float stepSize = this.stepSize;
            float inverseBiasCorrection2 = this.inverseBiasCorrection2;
            float l2 = this.l2;
            float decay = this.decay;
            float b1 = this.b1;
            float b2 = this.b2;
            float oneMinusB1 = this.oneMinusB1;
            float oneMinusB2 = this.oneMinusB2;
            float epsilon = this.epsilon;
            boolean amsgrad = vMax != null;
            for (int i = from; i < to; i++) {
                float theta = param[i] * decay; // decay is exactly 1 without decoupled weight decay
                float g = l2 == 0 ? grad[i] : grad[i] + l2 * theta;
                float mi = b1 * m[i] + oneMinusB1 * g;
                float vi = b2 * v[i] + oneMinusB2 * g * g;
                m[i] = mi;
                v[i] = vi;
                if (amsgrad) {
                    vi = Math.max(vMax[i], vi);
                    vMax[i] = vi;
                }
                param[i] = theta - stepSize * mi / ((float) Math.sqrt(vi) * inverseBiasCorrection2 + epsilon);
            }
        }
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "(lr=" + lr() + ", betas=(" + beta1 + ", " + beta2 + "), eps=" + eps
                + ", weightDecay=" + weightDecay + ", amsgrad=" + amsgrad + ")";
    }

    /**
     * Adam's (or AdamW's) hyperparameters; each setter returns this builder. {@link #build()} makes an
     * {@link AdamW} when the builder came from {@link AdamW#builder}.
     */
    public static final class Builder {
        private final List<Tensor> params;
        private final boolean decoupledWeightDecay;
        private double lr = 1e-3;
        private double beta1 = 0.9;
        private double beta2 = 0.999;
        private double eps = 1e-8;
        private double weightDecay;
        private boolean amsgrad;

        Builder(List<Tensor> params, boolean decoupledWeightDecay, double weightDecay) {
            this.params = params;
            this.decoupledWeightDecay = decoupledWeightDecay;
            this.weightDecay = weightDecay;
        }

        /** γ ≥ 0. */
        public Builder lr(double lr) {
            this.lr = lr;
            return this;
        }

        /** (β₁, β₂), each in [0, 1): the decay rates of the first and second moments. */
        public Builder betas(double beta1, double beta2) {
            this.beta1 = beta1;
            this.beta2 = beta2;
            return this;
        }

        /** ε ≥ 0, added to the denominator. */
        public Builder eps(double eps) {
            this.eps = eps;
            return this;
        }

        /** λ ≥ 0: an L2 penalty in the gradient for Adam, a decoupled decay for AdamW. */
        public Builder weightDecay(double weightDecay) {
            this.weightDecay = weightDecay;
            return this;
        }

        /** The AMSGrad variant: normalise by the largest second moment so far. */
        public Builder amsgrad(boolean amsgrad) {
            this.amsgrad = amsgrad;
            return this;
        }

        public Adam build() {
            return decoupledWeightDecay ? new AdamW(this) : new Adam(this);
        }
    }
}
