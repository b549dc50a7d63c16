package dev.soma.spiking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.soma.tensor.Generator;
import org.junit.jupiter.api.Test;

class EventDrivenSimulatorTest {

    /** τ 10 ms, rest and reset 0, θ 10 mV, t_ref 2 ms; synapses τ_e 5, τ_i 10 ms. */
    private static final Lif LIF = new Lif(10, 0, 10, 0, 2);
    private static final ExponentialSynapses SYNAPSES = new ExponentialSynapses(5, 10);

    @Test
    void constantCurrentSpikesAtTheClosedFormTimes() {
        // From rest under I = 15: the first spike at T = τ ln(I/(I − θ)), then every t_ref + T.
        Network network = new Network();
        Population neuron = network.population("n", 1, LIF, SYNAPSES);
        neuron.setCurrent(15);
        EventDrivenSimulator simulator = new EventDrivenSimulator(network);
        simulator.run(100);
        double[] times = simulator.spikeTimesOf(0);
        double t = 10 * Math.log(3);
        assertEquals(7, times.length);
        for (int k = 0; k < times.length; k++) {
            assertEquals(t + k * (2 + t), times[k], 1e-9, "spike " + k);
        }
    }

    /** One neuron under a current and trains of excitatory and inhibitory spikes, all on the 0.1 ms grid. */
    private static Network drivenNeuron() {
        Network network = new Network();
        Population neuron = network.population("n", 1, LIF, SYNAPSES);
        network.input(new StepCurrent(neuron, 12, 1.0, 150.0));
        network.input(new SpikeTrainInput(neuron, Receptor.EXCITATORY,
                new double[] {3.0, 7.5, 12.2, 30.1, 31.4, 55.5, 56.0, 80.3, 81.0, 81.7, 120.9}, 6));
        network.input(new SpikeTrainInput(neuron, Receptor.INHIBITORY, new double[] {20.0, 40.3, 70.7, 100.0}, -6));
        return network;
    }

    @Test
    void clockDrivenSpikeTimesConvergeToTheEventDrivenOnes() {
        EventDrivenSimulator exact = new EventDrivenSimulator(drivenNeuron());
        exact.run(200);
        double[] reference = exact.spikeTimesOf(0);
        assertTrue(reference.length >= 6, "enough spikes to compare: " + reference.length);
        double previousError = Double.POSITIVE_INFINITY;
        for (double dt : new double[] {0.1, 0.01, 0.001}) {
            ClockDrivenSimulator clock = new ClockDrivenSimulator(drivenNeuron(), dt, new Generator(0));
            clock.run(200);
            double[] times = clock.spikes().timesOf(0);
            assertEquals(reference.length, times.length, "spike count at dt = " + dt);
            double error = 0;
            for (int k = 0; k < times.length; k++) {
                // Each crossing is seen up to one step late, and so is the reset: the lags can add up, spike after spike.
                double lag = times[k] - reference[k];
                assertTrue(lag >= -1e-9 && lag <= (k + 1) * dt + 1e-9, "spike " + k + " lags " + lag + " at dt = " + dt);
                error = Math.max(error, lag);
            }
            assertTrue(error < previousError / 5, "error shrinks with dt: " + error + " after " + previousError);
            previousError = error;
        }
    }

    @Test
    void feedForwardNetworkWithDelaysConvergesToo() {
        double[] eventTimes = feedForward(null);
        assertTrue(eventTimes.length > 10, "the targets fire: " + eventTimes.length);
        double previousError = Double.POSITIVE_INFINITY;
        for (double dt : new double[] {0.01, 0.001}) {
            double[] clockTimes = feedForward(dt);
            assertEquals(eventTimes.length, clockTimes.length, "same number of spikes at dt = " + dt);
            double error = 0;
            for (int k = 0; k < eventTimes.length; k++) {
                error = Math.max(error, Math.abs(eventTimes[k] - clockTimes[k]));
            }
            // The targets inherit their sources' accumulated lags (see above), so the bound is a few tens of steps.
            assertTrue(error < 20 * dt, "largest difference " + error + " ms at dt = " + dt);
            assertTrue(error < previousError / 5, "error shrinks with dt: " + error + " after " + previousError);
            previousError = error;
        }
    }

    /** Five sources under different currents drive three targets through a 1.5 ms delay; each target's spike times in turn. */
    private static double[] feedForward(Double dt) {
        Network network = new Network();
        Population sources = network.population("sources", 5, LIF, SYNAPSES);
        Population targets = network.population("targets", 3, LIF, SYNAPSES);
        for (int i = 0; i < 5; i++) {
            sources.current()[i] = 11 + 2 * i;
        }
        for (int j = 0; j < 3; j++) {
            targets.current()[j] = 7 + j;
        }
        network.connect(sources, targets, Receptor.EXCITATORY,
                SparseConnections.fixedProbability(5, 3, 1, 3, new Generator(0)), 1.5);
        java.util.List<Double> all = new java.util.ArrayList<>();
        if (dt == null) {
            EventDrivenSimulator simulator = new EventDrivenSimulator(network);
            simulator.run(100);
            for (int j = 0; j < 3; j++) {
                for (double t : simulator.spikeTimesOf(5 + j)) {
                    all.add(t);
                }
            }
        } else {
            ClockDrivenSimulator simulator = new ClockDrivenSimulator(network, dt, new Generator(0));
            simulator.run(100);
            for (int j = 0; j < 3; j++) {
                for (double t : simulator.spikes().timesOf(5 + j)) {
                    all.add(t);
                }
            }
        }
        return all.stream().mapToDouble(Double::doubleValue).toArray();
    }

    @Test
    void onlyLifNetworksWithoutPoissonInput() {
        // No closed form between events for these: each is refused by name, pointing to the clock-driven simulator.
        NeuronModel[] models = {Izhikevich.REGULAR_SPIKING, AdEx.TONIC, new ConductanceLif(LIF, 0, -80)};
        String[] names = {"Izhikevich", "AdEx", "conductance-based LIF"};
        for (int k = 0; k < models.length; k++) {
            Network network = new Network();
            network.population("ok", 1, LIF, SYNAPSES);
            network.population("p" + k, 1, models[k], SYNAPSES);
            var e = assertThrows(IllegalArgumentException.class, () -> new EventDrivenSimulator(network));
            assertTrue(e.getMessage().startsWith("the event-driven simulator runs LIF populations only; p" + k + " is "
                    + names[k] + " ("), e.getMessage());
            assertTrue(e.getMessage().endsWith("use the ClockDrivenSimulator for it"), e.getMessage());
        }
        Network poisson = new Network();
        Population p = poisson.population("p", 1, LIF, SYNAPSES);
        poisson.input(new PoissonInput(p, Receptor.EXCITATORY, 1, 10, 1));
        assertThrows(IllegalArgumentException.class, () -> new EventDrivenSimulator(poisson));
    }

    @Test
    void noCrossingBelowThresholdAndTheClosedFormTailBeyondTheScan() {
        assertEquals(Double.POSITIVE_INFINITY, EventDrivenSimulator.firstCrossing(LIF, SYNAPSES, 0, 9.9, 0, 0));
        // I barely above θ: the crossing lies far beyond the synaptic horizon, found by the closed form.
        double h = EventDrivenSimulator.firstCrossing(LIF, SYNAPSES, 0, 10.000001, 0, 0);
        assertEquals(10 * Math.log(10.000001 / 0.000001), h, 1e-6);
    }
}
