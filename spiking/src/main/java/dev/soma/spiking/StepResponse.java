package dev.soma.spiking;

import dev.soma.tensor.Generator;

/**
 * One neuron under a step current: its membrane trace and spike times. What {@code soma spike neuron}
 * shows, and what the model tests look at.
 *
 * @param dtMs the time step; sample {@code k} of the trace is at {@code (k + 1)·dt}
 * @param membraneMv the potential after each step (after a reset)
 * @param spikeTimesMs the spike times, ms, in order
 */
public record StepResponse(double dtMs, float[] membraneMv, double[] spikeTimesMs) {

    /**
     * Simulates one neuron of {@code model} for {@code durationMs}, with {@code current} (the model's
     * unit) switched on at {@code startMs} and off at {@code stopMs}.
     */
    public static StepResponse simulate(NeuronModel model, double current, double startMs, double stopMs,
            double durationMs, double dtMs) {
        Check.timeStep(dtMs);
        Check.positive("duration", durationMs, "ms");
        Network network = new Network();
        Population neuron = network.population("neuron", 1, model, ExponentialSynapses.CUBA);
        network.input(new StepCurrent(neuron, current, startMs, stopMs));
        ClockDrivenSimulator simulator = new ClockDrivenSimulator(network, dtMs, new Generator(0));
        MembraneRecorder trace = simulator.recordMembrane(neuron, 0);
        simulator.run(durationMs);
        return new StepResponse(dtMs, trace.trace(0), simulator.spikes().timesOf(0));
    }

    /** The intervals between consecutive spikes, ms. */
    public double[] interSpikeIntervalsMs() {
        double[] isi = new double[Math.max(0, spikeTimesMs.length - 1)];
        for (int k = 0; k < isi.length; k++) {
            isi[k] = spikeTimesMs[k + 1] - spikeTimesMs[k];
        }
        return isi;
    }

    /** Spikes per second over {@code [fromMs, toMs)}, Hz. */
    public double rateHz(double fromMs, double toMs) {
        int n = 0;
        for (double t : spikeTimesMs) {
            if (t >= fromMs && t < toMs) {
                n++;
            }
        }
        return n / ((toMs - fromMs) / 1000);
    }
}
