package dev.soma.playground;

import dev.soma.nn.Dropout;
import dev.soma.nn.Linear;
import dev.soma.nn.Module;
import dev.soma.spiking.Lif;
import dev.soma.spiking.StepResponse;
import dev.soma.tensor.NoGrad;
import dev.soma.tensor.Tensor;
import java.util.List;

/**
 * The LIF tab: one neuron of the network, at one point (x₁, x₂), beside a leaky integrate-and-fire
 * neuron driven by the same weighted inputs.
 *
 * <p>The artificial neuron computes {@code z = Σ wⱼ·xⱼ + b} and outputs {@code σ(z)}. The spiking one
 * receives the constant input {@code I = scale · z} (mV, the membrane resistance times the current)
 * from t = 0 and follows spiking's {@link Lif} with rest and reset at 0 mV:
 * {@code τ·dV/dt = −V + I}, a spike when {@code V} reaches θ, then {@code V = 0} for {@code t_ref}.
 * Its rate has the closed form {@code f = 1/(t_ref + τ·ln(I/(I − θ)))} for {@code I > θ}, else 0
 * ({@link Lif#rateHz}): like σ, a monotone squash of z, but rectified (silent below θ/scale) and
 * saturating at {@code 1/t_ref}.
 */
public final class LifProbe {

    /** The longest simulation, ms. */
    public static final double MAX_DURATION_MS = 1000;
    /** The most samples a trace may have (duration / dt). */
    public static final int MAX_SAMPLES = 20_000;

    private LifProbe() {
    }

    /**
     * What to simulate.
     *
     * @param layer the neuron's layer as the snapshot counts them: 1 is the first hidden layer, the last
     *     the output
     * @param neuron its index in the layer
     * @param x1 the point's first coordinate
     * @param x2 its second
     * @param scaleMv millivolts of input per unit of z
     * @param tauMs membrane time constant τ
     * @param thresholdMv θ, above the reset (0 mV)
     * @param refractoryMs t_ref
     * @param durationMs how long to simulate
     * @param dtMs the time step
     */
    public record Parameters(int layer, int neuron, double x1, double x2, double scaleMv, double tauMs,
            double thresholdMv, double refractoryMs, double durationMs, double dtMs) {

        /** The tab's defaults at a point: τ 20 ms, θ 15 mV, t_ref 2 ms, 10 mV per unit of z, 200 ms in 0.1 ms steps. */
        public static Parameters defaults(int layer, int neuron, double x1, double x2) {
            return new Parameters(layer, neuron, x1, x2, 10, 20, 15, 2, 200, 0.1);
        }

        /** These parameters, each checked against its range. */
        public Parameters validated() {
            Limits.checkDouble("x1", x1, -1000, 1000, false);
            Limits.checkDouble("x2", x2, -1000, 1000, false);
            Limits.checkDouble("scaleMv", scaleMv, 0, 1000, false);
            Limits.checkDouble("tauMs", tauMs, 0, 1000, true);
            Limits.checkDouble("thresholdMv", thresholdMv, 0, 1000, true);
            Limits.checkDouble("refractoryMs", refractoryMs, 0, 100, false);
            Limits.checkDouble("durationMs", durationMs, 0, MAX_DURATION_MS, true);
            Limits.checkDouble("dtMs", dtMs, 0.001, 1, false);
            if (durationMs / dtMs > MAX_SAMPLES) {
                throw new PlaygroundException("durationMs / dtMs must be at most " + MAX_SAMPLES + " samples, got "
                        + Math.round(durationMs / dtMs));
            }
            return this;
        }
    }

    /**
     * The two neurons side by side.
     *
     * @param z the weighted sum {@code Σ wⱼ·xⱼ + b} at the point
     * @param output the artificial neuron's {@code σ(z)} (the output's: sigmoid, softmax or z itself)
     * @param activation the σ's name
     * @param currentMv {@code I = scale · z}
     * @param thresholdMv θ
     * @param dtMs the time step; sample k of the trace is at {@code (k + 1)·dt}
     * @param membraneMv the membrane potential after each step
     * @param spikeTimesMs the spike times
     * @param rateHz spikes per second over the simulation
     * @param closedFormRateHz {@code 1/(t_ref + τ·ln(I/(I − θ)))}, or 0 when {@code I ≤ θ}
     */
    public record Result(int layer, int neuron, double z, double output, String activation, double currentMv,
            double thresholdMv, double dtMs, float[] membraneMv, double[] spikeTimesMs, double rateHz,
            double closedFormRateHz) {
    }

    /** Simulates {@code p} on {@code session}'s network as it is now. */
    public static Result run(Session session, Parameters p) {
        p.validated();
        List<Linear> linears = session.linears();
        if (p.layer() < 1 || p.layer() > linears.size()) {
            throw new PlaygroundException("layer must be between 1 and " + linears.size() + " (the output), got " + p.layer());
        }
        Linear target = linears.get(p.layer() - 1);
        Limits.checkInt("neuron", p.neuron(), 0, target.outFeatures() - 1);
        float[] row = weightedSums(session, p.layer(), (float) p.x1(), (float) p.x2());
        boolean output = p.layer() == linears.size();
        double z = row[p.neuron()];
        String activation;
        double y;
        if (!output) {
            activation = session.settings().activations().get(p.layer() - 1);
            try (NoGrad scope = NoGrad.enter()) {
                y = ActivationKind.of(activation).module().forward(Tensor.of(new float[] {(float) z}, 1, 1)).item();
            }
        } else if (session.classes() == 2) {
            activation = "sigmoid";
            y = 1 / (1 + Math.exp(-z));
        } else if (session.classes() > 2) {
            activation = "softmax";
            double max = Double.NEGATIVE_INFINITY;
            for (float v : row) {
                max = Math.max(max, v);
            }
            double sum = 0;
            for (float v : row) {
                sum += Math.exp(v - max);
            }
            y = Math.exp(z - max) / sum;
        } else {
            activation = "linear";
            y = z;
        }
        double current = p.scaleMv() * z;
        Lif lif = new Lif(p.tauMs(), 0, p.thresholdMv(), 0, p.refractoryMs());
        StepResponse response = StepResponse.simulate(lif, current, 0, p.durationMs(), p.durationMs(), p.dtMs());
        double rate = response.spikeTimesMs().length / (p.durationMs() / 1000);
        return new Result(p.layer(), p.neuron(), z, y, activation, current, p.thresholdMv(), p.dtMs(),
                response.membraneMv(), response.spikeTimesMs(), rate, lif.rateHz(current));
    }

    /** Every neuron's {@code z} in layer {@code layer} (1-based, as above) at (x1, x2). */
    static float[] weightedSums(Session session, int layer, float x1, float x2) {
        List<Feature> features = session.features();
        float[] inputs = new float[features.size()];
        for (int f = 0; f < inputs.length; f++) {
            inputs[f] = features.get(f).apply(x1, x2);
        }
        List<Module> modules = session.modules();
        session.model().eval();
        try (NoGrad scope = NoGrad.enter()) {
            Tensor x = Tensor.of(inputs, 1, inputs.length);
            int linear = 0;
            for (Module module : modules) {
                if (module instanceof Linear l) {
                    linear++;
                    x = l.forward(x);
                    if (linear == layer) {
                        return x.toArray();
                    }
                } else if (!(module instanceof Dropout)) {
                    x = module.forward(x); // σ; dropout passes values through in evaluation mode anyway
                }
            }
            throw new IllegalStateException("the network has no layer " + layer);
        } finally {
            session.model().train();
        }
    }
}
