package dev.soma.optim;

import dev.soma.tensor.Tensor;
import java.util.List;
import java.util.Map;

/**
 * Stochastic gradient descent with optional momentum, Nesterov momentum and L2 weight decay, exactly as
 * PyTorch's {@code torch.optim.SGD}. For each parameter θ with gradient g, at its step t:
 *
 * <pre>
 *   g ← g + λθ                     if λ ≠ 0        (weight decay)
 *   if μ ≠ 0:                                      (momentum)
 *       b ← g                      if t = 1        (no dampening on the first step)
 *       b ← μb + (1 − τ)g          if t > 1        (τ: dampening)
 *       g ← g + μb                 if nesterov
 *       g ← b                      otherwise
 *   θ ← θ − γg                                     (γ: lr)
 * </pre>
 *
 * Defaults: momentum μ = 0, dampening τ = 0, weight decay λ = 0, nesterov off; the learning rate has no
 * default. Nesterov momentum requires μ > 0 and τ = 0. Reference: Sutskever et al., "On the importance of
 * initialization and momentum in deep learning", 2013 (in PyTorch's formulation, where γ multiplies the
 * whole velocity).
 */
public final class SGD extends Optimizer {

    private final double momentum;
    private final double dampening;
    private final double weightDecay;
    private final boolean nesterov;
    /** b per parameter; null until its first step with momentum. */
    private final float[][] momentumBuffers;

    /** Plain SGD, {@code θ ← θ − γg}. */
    public SGD(List<Tensor> params, double lr) {
        this(builder(params, lr));
    }

    private SGD(Builder options) {
        super(options.params, options.lr);
        this.momentum = requireAtLeastZero("momentum", options.momentum);
        this.dampening = options.dampening;
        this.weightDecay = requireAtLeastZero("weightDecay", options.weightDecay);
        this.nesterov = options.nesterov;
        if (!Double.isFinite(dampening)) {
            throw new IllegalArgumentException("dampening must be finite, got " + dampening);
        }
        if (nesterov && (momentum <= 0 || dampening != 0)) {
            throw new IllegalArgumentException("nesterov momentum requires momentum > 0 and dampening = 0, got"
                    + " momentum " + momentum + ", dampening " + dampening);
        }
        this.momentumBuffers = registerBuffers("momentum_buffer");
    }

    @Override
    protected Map<String, Object> hyperparameters() {
        Map<String, Object> h = super.hyperparameters();
        h.put("momentum", momentum);
        h.put("dampening", dampening);
        h.put("weight_decay", weightDecay);
        h.put("nesterov", nesterov);
        return h;
    }

    /** Options with PyTorch's defaults, for {@code SGD.builder(params, 0.1).momentum(0.9).build()}. */
    public static Builder builder(List<Tensor> params, double lr) {
        return new Builder(params, lr);
    }

    @Override
    protected void update(int index, int step, float[] param, float[] grad) {
        double lr = lr();
        float[] buffer = momentumBuffers[index];
        if (momentum != 0 && buffer == null) {
            buffer = new float[param.length];
            momentumBuffers[index] = buffer;
        }
        // In float with the constants rounded once, so that C2 vectorises the loop (see Adam).
        float gamma = (float) lr;
        float lambda = (float) weightDecay;
        float mu = (float) momentum;
        float keep = (float) (1 - dampening);
        boolean first = step == 1;
        for (int i = 0; i < param.length; i++) {
            float g = lambda == 0 ? grad[i] : grad[i] + lambda * param[i];
            if (mu != 0) {
                float b = first ? g : mu * buffer[i] + keep * g;
                buffer[i] = b;
                g = nesterov ? g + mu * b : b;
            }
            param[i] = param[i] - gamma * g;
        }
    }

    @Override
    public String toString() {
        return "SGD(lr=" + lr() + ", momentum=" + momentum + ", dampening=" + dampening
                + ", weightDecay=" + weightDecay + ", nesterov=" + nesterov + ")";
    }

    /** SGD's hyperparameters; each setter returns this builder. */
    public static final class Builder {
        private final List<Tensor> params;
        private final double lr;
        private double momentum;
        private double dampening;
        private double weightDecay;
        private boolean nesterov;

        private Builder(List<Tensor> params, double lr) {
            this.params = params;
            this.lr = lr;
        }

        /** μ ≥ 0; 0 turns momentum off. */
        public Builder momentum(double momentum) {
            this.momentum = momentum;
            return this;
        }

        /** τ, which scales down the gradient's share of the buffer from the second step on. */
        public Builder dampening(double dampening) {
            this.dampening = dampening;
            return this;
        }

        /** λ ≥ 0, the L2 penalty added to the gradient. */
        public Builder weightDecay(double weightDecay) {
            this.weightDecay = weightDecay;
            return this;
        }

        /** Nesterov momentum, {@code g ← g + μb}. */
        public Builder nesterov(boolean nesterov) {
            this.nesterov = nesterov;
            return this;
        }

        public SGD build() {
            return new SGD(this);
        }
    }
}
