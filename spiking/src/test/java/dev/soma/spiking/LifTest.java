package dev.soma.spiking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.soma.tensor.Generator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LifTest {

    /** τ 10 ms, rest −70, threshold −50 (out of reach of the inputs below), reset −75, refractory 2 ms. */
    private static final Lif SUBTHRESHOLD = new Lif(10, -70, -50, -75, 2);

    @ParameterizedTest
    @ValueSource(doubles = {0.01, 0.1, 1.0})
    void membraneUnderConstantCurrentFollowsTheClosedFormAtAnyStep(double dt) {
        // V(t) = V∞ + (V0 − V∞)e^(−t/τ), V∞ = −70 + 15: exact integration has no step-size error,
        // which forward Euler at dt = 1 ms (10% of τ) would show as about 0.5 mV.
        StepResponse response = StepResponse.simulate(SUBTHRESHOLD, 15, 0, 100, 100, dt);
        float[] v = response.membraneMv();
        assertEquals(Math.round(100 / dt), v.length);
        for (int k = 0; k < v.length; k++) {
            double t = (k + 1) * dt;
            double expected = -55 + (-70 + 55) * Math.exp(-t / 10);
            assertEquals(expected, v[k], 1e-5, "t = " + t + " ms");
        }
        assertEquals(0, response.spikeTimesMs().length);
        assertEquals(SUBTHRESHOLD.membrane(-70, 15, 37), -55 - 15 * Math.exp(-3.7), 1e-12);
    }

    @Test
    void goldenFiCurve() {
        // τ = 10 ms, θ = 10 mV, t_ref = 5 ms: f = 1/(t_ref + τ ln(I/(I − θ))) = 34.5, 43.6, 62.6, 83.8 Hz.
        Lif lif = new Lif(10, 0, 10, 0, 5);
        double[] currents = {11, 12, 15, 20};
        double[] golden = {34.5, 43.6, 62.6, 83.8};
        double dt = 0.01;
        FiCurve curve = FiCurve.of(lif, currents, 2000, dt);
        for (int k = 0; k < currents.length; k++) {
            assertEquals(golden[k], curve.analyticHz()[k], 0.05, "analytic rate at I = " + currents[k]);
            // Clock-driven: each interval is the exact one with the time to threshold rounded up to the grid.
            double simulatedInterval = 1000 / curve.simulatedHz()[k];
            double exactInterval = 1000 / curve.analyticHz()[k];
            assertTrue(simulatedInterval >= exactInterval - 1e-6 && simulatedInterval <= exactInterval + dt + 1e-6,
                    "interval at I = " + currents[k] + ": " + simulatedInterval + " vs " + exactInterval);
        }
        assertEquals(0, lif.rateHz(10), "at I = θ the neuron never reaches threshold");
        assertEquals(0, FiCurve.of(lif, new double[] {9.5}, 500, 0.1).simulatedHz()[0]);
    }

    @Test
    void exponentialSynapticInputReachesTheMembraneExactly() {
        // One input g0 at t = 0, no current: V(t) − E = g0·τe/(τe − τm)·(e^(−t/τe) − e^(−t/τm)).
        Network network = new Network();
        Population neuron = network.population("n", 1, SUBTHRESHOLD, new ExponentialSynapses(5, 10));
        neuron.synapticInput(Receptor.EXCITATORY)[0] = 8;
        neuron.synapticInput(Receptor.INHIBITORY)[0] = -4;
        ClockDrivenSimulator simulator = new ClockDrivenSimulator(network, 0.5, new Generator(0));
        MembraneRecorder trace = simulator.recordMembrane(neuron, 0);
        simulator.run(60);
        float[] v = trace.trace(0);
        for (int k = 0; k < v.length; k++) {
            double t = trace.timeMs(k);
            double excitatory = 8 * 5.0 / (5 - 10) * (Math.exp(-t / 5) - Math.exp(-t / 10));
            double inhibitory = -4 * (t / 10) * Math.exp(-t / 10); // τi = τm: the limit of the same formula
            assertEquals(-70 + excitatory + inhibitory, v[k], 1e-5, "t = " + t);
        }
    }

    @Test
    void refractoryNeuronIsHeldAtResetForExactlyTheRefractoryPeriod() {
        Lif lif = new Lif(10, 0, 10, -5, 3);
        StepResponse response = StepResponse.simulate(lif, 30, 0, 50, 50, 0.1);
        double first = response.spikeTimesMs()[0];
        float[] v = response.membraneMv();
        int spikeSample = (int) Math.round(first / 0.1) - 1;
        for (int k = spikeSample; k < spikeSample + 31; k++) {
            assertEquals(-5, v[k], 0, "held at reset at sample " + k);
        }
        assertTrue(v[spikeSample + 31] > -5, "integrating again after 3 ms");
    }

    @Test
    void badParametersAreRejectedWithTheirValues() {
        var tau = assertThrows(IllegalArgumentException.class, () -> new Lif(-10, 0, 10, 0, 5));
        assertEquals("membrane time constant τ must be > 0 ms, got -10.0", tau.getMessage());
        var threshold = assertThrows(IllegalArgumentException.class, () -> new Lif(10, 0, -70, -60, 5));
        assertEquals("threshold (-70.0 mV) must be above the reset (-60.0 mV)", threshold.getMessage());
        var refractory = assertThrows(IllegalArgumentException.class, () -> new Lif(10, 0, 10, 0, -1));
        assertEquals("refractory period must be >= 0 ms, got -1.0", refractory.getMessage());
        var dt = assertThrows(IllegalArgumentException.class, () -> StepResponse.simulate(Lif.CUBA, 1, 0, 1, 1, 0));
        assertEquals("time step dt must be > 0 ms, got 0.0", dt.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Lif(Double.NaN, 0, 10, 0, 5));
        assertThrows(IllegalArgumentException.class, () -> new ExponentialSynapses(0, 10));
    }

    @Test
    void propagatorMeetsItsLimitWhenTheTimeConstantsMeet() {
        double limit = LifPopulation.propagator(0.1, 20, 20);
        double near = LifPopulation.propagator(0.1, 20, 20 * (1 + 1e-6));
        assertEquals(limit, near, 1e-9);
        assertEquals(0.1 / 20 * Math.exp(-0.1 / 20), limit, 1e-15);
    }
}
