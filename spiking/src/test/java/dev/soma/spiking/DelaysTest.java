package dev.soma.spiking;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.soma.tensor.Generator;
import org.junit.jupiter.api.Test;

/** A delay per synapse in both simulators, and the storage each synapse costs. */
class DelaysTest {

    /** τ 10 ms, rest and reset 0, θ 10 mV, t_ref 2 ms. */
    private static final Lif LIF = new Lif(10, 0, 10, 0, 2);
    /** Never fires: the targets only show what arrives. */
    private static final Lif DEAF = new Lif(10, 0, 1000, 0, 0);
    private static final ExponentialSynapses SYNAPSES = new ExponentialSynapses(5, 10);
    private static final float[] DELAYS_MS = {0, 0.3f, 1, 2.5f};
    private static final double WEIGHT = 3;

    /** One neuron, above threshold from the start, onto four deaf targets, each synapse with its own delay. */
    private static Population[] fan(Network network) {
        Population source = network.population("source", 1, LIF, SYNAPSES);
        Population targets = network.population("targets", DELAYS_MS.length, DEAF, SYNAPSES);
        source.membrane()[0] = 15;
        network.connect(source, targets, Receptor.EXCITATORY,
                SparseConnections.fixedProbability(1, DELAYS_MS.length, 1, WEIGHT, new Generator(0)).withDelays(DELAYS_MS), 0);
        return new Population[] {source, targets};
    }

    @Test
    void clockDrivenSpikeArrivesAfterItsOwnDelay() {
        Network network = new Network();
        Population targets = fan(network)[1];
        double dt = 0.1;
        ClockDrivenSimulator simulator = new ClockDrivenSimulator(network, dt, new Generator(0));
        double[] arrival = new double[DELAYS_MS.length];
        java.util.Arrays.fill(arrival, Double.NaN);
        double[] g = targets.synapticInput(Receptor.EXCITATORY);
        for (int k = 0; k < 40; k++) {
            simulator.step();
            for (int j = 0; j < g.length; j++) {
                if (Double.isNaN(arrival[j]) && g[j] != 0) {
                    arrival[j] = simulator.timeMs();
                    assertEquals(WEIGHT, g[j], 0, "the whole weight arrives at once");
                }
            }
        }
        assertEquals(1, simulator.spikes().count());
        double spike = simulator.spikes().timeMs(0);
        assertEquals(dt, spike, 1e-12, "the source fires in the first step");
        for (int j = 0; j < g.length; j++) {
            assertEquals(spike + DELAYS_MS[j], arrival[j], 1e-6, "synapse " + j + ", delay " + DELAYS_MS[j] + " ms");
        }
    }

    @Test
    void eventDrivenSpikeArrivesAfterItsOwnDelayExactly() {
        Network network = new Network();
        Population targets = fan(network)[1];
        EventDrivenSimulator simulator = new EventDrivenSimulator(network);
        double[] g = targets.synapticInput(Receptor.EXCITATORY);
        double tauE = SYNAPSES.tauExcitatoryMs();
        double previous = 0;
        for (int j = 1; j < DELAYS_MS.length; j++) {
            // Just before synapse j's arrival nothing of it is there; just after, its weight decayed for the time since.
            simulator.run(DELAYS_MS[j] - 1e-9 - previous);
            assertEquals(0, g[j], 0, "synapse " + j + " before " + DELAYS_MS[j] + " ms");
            simulator.run(2e-9);
            assertEquals(WEIGHT * Math.exp(-1e-9 / tauE), g[j], 1e-12, "synapse " + j + " after " + DELAYS_MS[j] + " ms");
            previous = simulator.timeMs();
        }
        assertArrayEquals(new double[] {0}, simulator.spikeTimesOf(0));
        for (int j = 0; j < DELAYS_MS.length; j++) {
            assertEquals(WEIGHT * Math.exp(-(simulator.timeMs() - DELAYS_MS[j]) / tauE), g[j], 1e-12, "synapse " + j);
        }
    }

    /** A CUBA network of 400 neurons whose projections all have {@code delayMs}: the projection's own, or each synapse's. */
    private static Network cuba(double delayMs, boolean perSynapse, boolean perSynapseWeights) {
        Generator g = new Generator(11);
        Network network = new Network();
        Population exc = network.population("exc", 320, Lif.CUBA, ExponentialSynapses.CUBA);
        Population inh = network.population("inh", 80, Lif.CUBA, ExponentialSynapses.CUBA);
        for (Population source : new Population[] {exc, inh}) {
            for (Population target : new Population[] {exc, inh}) {
                double w = source == exc ? Cuba.EXCITATORY_WEIGHT_MV : Cuba.INHIBITORY_WEIGHT_MV;
                SparseConnections c = SparseConnections.fixedProbability(source.size(), target.size(), 0.2, w, g);
                if (perSynapseWeights) {
                    float[] weights = new float[c.synapses()];
                    java.util.Arrays.fill(weights, (float) w);
                    c = c.withWeights(weights);
                }
                if (perSynapse) {
                    float[] delays = new float[c.synapses()];
                    java.util.Arrays.fill(delays, (float) delayMs);
                    c = c.withDelays(delays);
                }
                network.connect(source, target, source == exc ? Receptor.EXCITATORY : Receptor.INHIBITORY, c,
                        perSynapse ? 0 : delayMs);
            }
        }
        for (Population population : new Population[] {exc, inh}) {
            Network.randomizeMembrane(population, Lif.CUBA.resetMv(), Lif.CUBA.thresholdMv(), g);
        }
        return network;
    }

    private static double[] clockDriven(Network network) {
        ClockDrivenSimulator simulator = new ClockDrivenSimulator(network, 0.1, new Generator(0));
        simulator.run(200);
        SpikeRecorder s = simulator.spikes();
        double[] out = new double[2 * s.count() + network.neurons()];
        for (int k = 0; k < s.count(); k++) {
            out[2 * k] = s.timeMs(k);
            out[2 * k + 1] = s.neuron(k);
        }
        int n = 2 * s.count();
        for (Population p : network.populations()) {
            for (double v : p.membrane()) {
                out[n++] = v;
            }
        }
        return out;
    }

    @Test
    void uniformDelaysPerSynapseEqualOneDelayPerProjectionBitForBit() {
        // Delays that a float holds exactly (a synapse's delay is a float), so both networks have the same ones.
        for (double delay : new double[] {0, 0.75, 1.5}) {
            double[] projection = clockDriven(cuba(delay, false, false));
            assertTrue(projection.length > 2 * 300 + 400, "the network is active: " + (projection.length - 400) / 2 + " spikes");
            assertArrayEquals(projection, clockDriven(cuba(delay, true, false)), "clock-driven, delay " + delay + " ms");
        }
        // The event-driven simulator on the same network for 30 ms: the same spike times, bit for bit.
        for (double delay : new double[] {0.75, 1.5}) {
            EventDrivenSimulator one = new EventDrivenSimulator(cuba(delay, false, false));
            EventDrivenSimulator each = new EventDrivenSimulator(cuba(delay, true, false));
            one.run(30);
            each.run(30);
            assertTrue(one.spikeCount() > 20, "spikes: " + one.spikeCount());
            assertEquals(one.spikeCount(), each.spikeCount());
            for (int i = 0; i < 400; i++) {
                assertArrayEquals(one.spikeTimesOf(i), each.spikeTimesOf(i), "event-driven, neuron " + i);
            }
        }
    }

    @Test
    void aSharedWeightCostsNoStoragePerSynapseAndGivesTheSameSpikes() {
        assertArrayEquals(clockDriven(cuba(0, false, true)), clockDriven(cuba(0, false, false)));
        int n = 2000;
        SparseConnections c = SparseConnections.fixedProbability(n, n, 0.02, 1.62, new Generator(1));
        double rows = 4.0 * (n + 1) / c.synapses();
        assertEquals(4 + rows, c.bytesPerSynapse(), 1e-12, "a target each, the weight once");
        SparseConnections weighted = c.withWeights(new float[c.synapses()]);
        assertEquals(8 + rows, weighted.bytesPerSynapse(), 1e-12, "and a weight each");
        assertEquals(12 + rows, weighted.withUniformDelays(1, 2, new Generator(2)).bytesPerSynapse(), 1e-12, "and a delay each");
        assertArrayEquals(new float[] {1.62f, 1.62f}, java.util.Arrays.copyOf(c.weightsOf(0), 2));
        // Plasticity needs a weight per synapse: attaching STDP makes them.
        Network network = new Network();
        Population a = network.population("a", n, Lif.CUBA, ExponentialSynapses.CUBA);
        Projection p = network.connect(a, a, Receptor.EXCITATORY, c, 0);
        new ClockDrivenSimulator(network, 0.1, new Generator(0)).stdp(p, new Stdp(20, 20, 0.01, -0.012, 5));
        assertEquals(8 + rows, c.bytesPerSynapse(), 1e-12);
        // CUBA as the benchmark builds it: 4 bytes per synapse, plus each neuron's two row starts (one per
        // projection from its population, 8 bytes) over its 80 synapses, on average.
        assertEquals(4 + 8.0 / 80, Cuba.build(4000, 1).network().bytesPerSynapse(), 0.005);
    }

    @Test
    void delaysAreCheckedAndDrawn() {
        SparseConnections c = SparseConnections.fixedProbability(3, 3, 1, 1, new Generator(0));
        var e = assertThrows(IllegalArgumentException.class, () -> c.withDelays(new float[4]));
        assertEquals("need one delay per synapse: 9, got 4", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> c.withDelays(new float[] {0, 0, 0, 0, -1, 0, 0, 0, 0}));
        Network network = new Network();
        Population a = network.population("a", 3, LIF, SYNAPSES);
        e = assertThrows(IllegalArgumentException.class,
                () -> network.connect(a, a, Receptor.EXCITATORY, c.withDelays(new float[9]), 1));
        assertTrue(e.getMessage().startsWith("the connections carry a delay per synapse"), e.getMessage());
        SparseConnections drawn = c.withUniformDelays(1, 3, new Generator(5));
        assertTrue(drawn.hasDelays() && !c.hasDelays());
        java.util.Set<Float> distinct = new java.util.HashSet<>();
        for (int i = 0; i < 3; i++) {
            for (float d : drawn.delaysOf(i)) {
                assertTrue(d >= 1 && d < 3, "delay " + d);
                distinct.add(d);
            }
        }
        assertEquals(9, distinct.size(), "each synapse draws its own");
        Network far = new Network();
        Population b = far.population("b", 3, LIF, SYNAPSES);
        far.connect(b, b, Receptor.EXCITATORY, c.withUniformDelays(4000, 4000, new Generator(0)), 0);
        e = assertThrows(IllegalArgumentException.class, () -> new ClockDrivenSimulator(far, 0.1, new Generator(0)));
        assertTrue(e.getMessage().contains("at most 32767 steps"), e.getMessage());
    }
}
