package dev.soma.spiking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.soma.tensor.Generator;
import org.junit.jupiter.api.Test;

class ConductanceLifTest {

    /** COBA's membrane (τ 20 ms, rest −60, threshold −50, reset −60, 5 ms) with E_e = 0, E_i = −80 mV. */
    private static final ConductanceLif COBA = new ConductanceLif(new Lif(20, -60, -50, -60, 5), 0, -80);

    private static MembraneRecorder run(ExponentialSynapses synapses, double ge, double gi, double dt, double ms,
            ClockDrivenSimulator[] simulatorOut) {
        Network network = new Network();
        Population neuron = network.population("n", 1, COBA, synapses);
        neuron.synapticInput(Receptor.EXCITATORY)[0] = ge;
        neuron.synapticInput(Receptor.INHIBITORY)[0] = gi;
        ClockDrivenSimulator simulator = new ClockDrivenSimulator(network, dt, new Generator(0));
        MembraneRecorder trace = simulator.recordMembrane(neuron, 0);
        simulator.run(ms);
        if (simulatorOut != null) {
            simulatorOut[0] = simulator;
        }
        return trace;
    }

    @Test
    void constantConductancesRelaxToTheirReversalWeightedMeanWithAShorterTimeConstant() {
        // Synapses that do not decay: V∞ = (E_rest + g_e·E_e + g_i·E_i)/(1 + g_e + g_i), τ_eff = τ_m/(1 + g_e + g_i).
        ExponentialSynapses frozen = new ExponentialSynapses(1e12, 1e12);
        MembraneRecorder trace = run(frozen, 0.1, 0.3, 0.5, 100, null);
        double total = 1 + 0.1 + 0.3;
        double vInfinity = (-60 + 0.1 * 0 + 0.3 * -80) / total;
        float[] v = trace.trace(0);
        for (int k = 0; k < v.length; k++) {
            double t = trace.timeMs(k);
            assertEquals(vInfinity + (-60 - vInfinity) * Math.exp(-t * total / 20), v[k], 1e-4, "t = " + t);
        }
    }

    @Test
    void inhibitionDependsOnWhereTheMembraneIs() {
        // At rest (−60 mV) an inhibitory conductance towards −80 mV hyperpolarises; the same conductance at
        // the inhibitory reversal potential would do nothing: here, with E_i at rest, nothing moves.
        float[] hyperpolarised = run(ExponentialSynapses.CUBA, 0, 0.5, 0.1, 20, null).trace(0);
        assertTrue(hyperpolarised[hyperpolarised.length - 1] < -61, "pulled towards −80: " + hyperpolarised[hyperpolarised.length - 1]);
        Network network = new Network();
        Population neuron = network.population("n", 1, new ConductanceLif(new Lif(20, -60, -50, -60, 5), 0, -60),
                ExponentialSynapses.CUBA);
        neuron.synapticInput(Receptor.INHIBITORY)[0] = 0.5;
        new ClockDrivenSimulator(network, 0.1, new Generator(0)).run(20);
        assertEquals(-60, neuron.membrane()[0], 1e-12, "shunting at rest: no change");
    }

    @Test
    void decayingConductancesConvergeAtFirstOrderInTheStep() {
        // A fine-step reference; halving a coarse step about halves the error (exponential Euler is first order).
        float[] reference = run(ExponentialSynapses.CUBA, 0.4, 0.2, 0.0005, 30, null).trace(0);
        double previous = Double.NaN;
        for (double dt : new double[] {0.2, 0.1, 0.05}) {
            float[] v = run(ExponentialSynapses.CUBA, 0.4, 0.2, dt, 30, null).trace(0);
            int stride = (int) Math.round(dt / 0.0005);
            double error = 0;
            for (int k = 0; k < v.length; k++) {
                error = Math.max(error, Math.abs(v[k] - reference[(k + 1) * stride - 1]));
            }
            if (!Double.isNaN(previous)) {
                assertEquals(2, previous / error, 0.3, "error ratio when dt halves (errors " + previous + ", " + error + ")");
            }
            previous = error;
        }
    }

    @Test
    void firesAndResetsLikeTheLif() {
        ClockDrivenSimulator[] simulator = new ClockDrivenSimulator[1];
        run(new ExponentialSynapses(1e12, 10), 1.0, 0, 0.1, 200, simulator);
        // g_e = 1 held: V∞ = −30 mV above threshold; from the reset the neuron needs τ_eff·ln((V∞ − V_r)/(V∞ − θ)).
        double[] times = simulator[0].spikes().timesOf(0);
        double interval = 5 + 10 * Math.log(30.0 / 20);
        assertTrue(times.length > 5);
        assertEquals(interval, times[times.length - 1] - times[times.length - 2], 0.1 + 1e-9);
        assertThrows(IllegalArgumentException.class, () -> new ConductanceLif(Lif.CUBA, Double.NaN, -80));
        assertThrows(IllegalArgumentException.class, () -> new EventDrivenSimulator(single()));
    }

    private static Network single() {
        Network network = new Network();
        network.population("n", 1, COBA, ExponentialSynapses.CUBA);
        return network;
    }
}
