package dev.soma.spiking;

/**
 * AdEx neurons, integrated with forward Euler ({@code V} and {@code w} from the values at the start
 * of the step, the exponential in double). The drive is the input current plus both synaptic inputs,
 * in pA. Starts at {@code V = E_L}, {@code w = 0}.
 */
final class AdExPopulation extends Population {

    private final AdEx model;
    private final double[] w;
    private double dt;

    AdExPopulation(String name, int size, AdEx model, ExponentialSynapses synapses) {
        super(name, size, model, synapses, model.restMv());
        this.model = model;
        this.w = new double[size];
    }

    /** The adaptation current w, pA (the live array). */
    double[] adaptation() {
        return w;
    }

    @Override
    void prepareModel(double dtMs) {
        dt = dtMs;
    }

    @Override
    void integrate() {
        double c = model.capacitancePf();
        double gL = model.leakNs();
        double eL = model.restMv();
        double slope = model.slopeMv();
        double vT = model.thresholdMv();
        double a = model.subthresholdAdaptationNs();
        double tauW = model.tauAdaptationMs();
        double peak = model.peakMv();
        for (int i = 0; i < size; i++) {
            double vi = v[i];
            double wi = w[i];
            double drive = current[i] + excitatory[i] + inhibitory[i];
            // The exponential is cut at the peak: past it the neuron has spiked, and e^((V−V_T)/Δ_T) would only overflow.
            double spike = gL * slope * Math.exp((Math.min(vi, peak) - vT) / slope);
            v[i] = vi + dt * (-gL * (vi - eL) + spike - wi + drive) / c;
            w[i] = wi + dt * (a * (vi - eL) - wi) / tauW;
        }
        decaySynapses();
    }

    @Override
    int fire(int[] spikes) {
        double peak = model.peakMv();
        double reset = model.resetMv();
        double b = model.spikeAdaptationPa();
        int count = 0;
        for (int i = 0; i < size; i++) {
            if (v[i] > peak) {
                v[i] = reset;
                w[i] += b;
                spikes[count++] = i;
            }
        }
        return count;
    }
}
