package dev.soma.spiking;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.soma.tensor.Generator;
import org.junit.jupiter.api.Test;

class NetworkTest {

    @Test
    void fixedProbabilityMakesTheExpectedNumberOfDistinctSortedSynapses() {
        int n = 2000;
        double p = 0.05;
        SparseConnections c = SparseConnections.fixedProbability(n, n, p, 0.5, new Generator(1));
        // Binomial(n², p): mean 200,000, standard deviation about 436.
        assertEquals(p * n * n, c.synapses(), 5 * Math.sqrt(n * (double) n * p * (1 - p)));
        for (int i = 0; i < n; i++) {
            int[] targets = c.targetsOf(i);
            for (int k = 1; k < targets.length; k++) {
                assertTrue(targets[k] > targets[k - 1], "row " + i + " sorted, no repeats");
            }
        }
        assertEquals(4 + 4.0 * (n + 1) / c.synapses(), c.bytesPerSynapse(), 1e-12, "one weight for all");
        assertEquals(0, SparseConnections.fixedProbability(10, 10, 0, 1, new Generator(1)).synapses());
        assertEquals(100, SparseConnections.fixedProbability(10, 10, 1, 1, new Generator(1)).synapses());
        assertThrows(IllegalArgumentException.class, () -> SparseConnections.fixedProbability(10, 10, 1.5, 1, new Generator(1)));
    }

    @Test
    void fixedInDegreeGivesEveryTargetExactlyThatManyInputs() {
        SparseConnections c = SparseConnections.fixedInDegree(500, 300, 40, 1, new Generator(2));
        assertEquals(300 * 40, c.synapses());
        int[] inDegree = new int[300];
        for (int i = 0; i < 500; i++) {
            for (int t : c.targetsOf(i)) {
                inDegree[t]++;
            }
        }
        for (int t = 0; t < 300; t++) {
            assertEquals(40, inDegree[t], "target " + t);
        }
    }

    @Test
    void aDelayedSpikeArrivesExactlyItsDelayLater() {
        // A driven neuron fires; its target gets a weight-20 input after 2.5 ms (25 steps).
        Lif quiet = new Lif(10, 0, 10, 0, 2);
        for (double delay : new double[] {0, 2.5}) {
            Network network = new Network();
            Population source = network.population("source", 1, quiet, new ExponentialSynapses(5, 5));
            Population target = network.population("target", 1, quiet, new ExponentialSynapses(5, 5));
            source.setCurrent(30);
            network.connect(source, target, Receptor.EXCITATORY,
                    SparseConnections.fixedProbability(1, 1, 1, 20, new Generator(0)), delay);
            ClockDrivenSimulator simulator = new ClockDrivenSimulator(network, 0.1, new Generator(0));
            MembraneRecorder trace = simulator.recordMembrane(target, 0);
            simulator.run(20);
            double firstSpike = simulator.spikes().timeMs(0);
            float[] v = trace.trace(0);
            int arrival = (int) Math.round((firstSpike + delay) / 0.1) - 1;
            assertEquals(0, v[arrival], 0, "nothing before the input acts (delay " + delay + ")");
            assertTrue(v[arrival + 1] > 0, "the input acts from the next step (delay " + delay + ")");
        }
    }

    @Test
    void poissonInputDeliversItsMeanRate() {
        Network network = new Network();
        Population population = network.population("p", 1000, new Lif(10, 0, 1000, 0, 0), new ExponentialSynapses(5, 5));
        network.input(new PoissonInput(population, Receptor.EXCITATORY, 10, 50, 1));
        ClockDrivenSimulator simulator = new ClockDrivenSimulator(network, 1, new Generator(3));
        double[] total = new double[1];
        // Sum the inputs arriving each step: mean 10·50 Hz·1 ms = 0.5 per neuron per step.
        for (int k = 0; k < 200; k++) {
            double[] g = population.synapticInput(Receptor.EXCITATORY);
            java.util.Arrays.fill(g, 0);
            simulator.step();
            // After the step the input decayed once: undo it to count what arrived.
            for (double x : g) {
                total[0] += x / Math.exp(-1.0 / 5);
            }
        }
        assertEquals(0.5 * 1000 * 200, total[0], 5 * Math.sqrt(0.5 * 1000 * 200));
        assertEquals(0, PoissonInput.poisson(0.5, Math.exp(-0.5), 0.5));
        assertEquals(1, PoissonInput.poisson(0.5, Math.exp(-0.5), 0.7));
    }

    @Test
    void sameSeedSameSpikesOtherSeedOtherSpikes() {
        int[] first = spikes(Cuba.build(400, 7), 200);
        int[] second = spikes(Cuba.build(400, 7), 200);
        int[] other = spikes(Cuba.build(400, 8), 200);
        assertTrue(first.length > 100, "the network is active: " + first.length);
        assertArrayEquals(first, second);
        assertTrue(!java.util.Arrays.equals(first, other));
    }

    private static int[] spikes(Cuba cuba, double ms) {
        ClockDrivenSimulator simulator = new ClockDrivenSimulator(cuba.network(), Cuba.DT_MS, new Generator(0));
        simulator.run(ms);
        SpikeRecorder s = simulator.spikes();
        int[] out = new int[2 * s.count()];
        for (int k = 0; k < s.count(); k++) {
            out[2 * k] = (int) Math.round(s.timeMs(k) / Cuba.DT_MS);
            out[2 * k + 1] = s.neuron(k);
        }
        return out;
    }

    @Test
    void recorderStatisticsOnKnownTrains() {
        // Neuron 0 fires like a clock (CV 0), neuron 1 alternates 1 and 3 steps (CV 0.5), neuron 2 once.
        SpikeRecorder r = new SpikeRecorder(1, 3);
        int[] zero = {0};
        int[] one = {1};
        for (int step = 0; step < 20; step += 2) {
            r.record(step, 0, zero, 1);
        }
        int step = 0;
        for (int k = 0; k < 11; k++) {
            r.record(step, 0, one, 1);
            step += k % 2 == 0 ? 1 : 3;
        }
        r.record(5, 2, new int[] {0}, 1);
        assertEquals(22, r.count());
        assertEquals(22 / (3 * 0.04), r.meanRateHz(40), 1e-9);
        assertEquals(0.25, r.isiCv(), 1e-12, "mean of 0 and 0.5; neuron 2 has no interval");
        double[] histogram = r.rateHistogramHz(10, 40);
        assertEquals(4, histogram.length);
        double sum = 0;
        for (double h : histogram) {
            sum += h * 3 * 0.01;
        }
        assertEquals(22, sum, 1e-9);
        // Spike times are step + 1: neuron 0 at 1, 3, …, 19 ms, neuron 1 at 1, 2, 5, 6, 9, 10, …, 21, neuron 2 at 6.
        // The first bin, (0, 10], holds 5 + 6 + 1 of them, 10 ms included.
        assertEquals(12 / (3 * 0.01), histogram[0], 1e-9);
    }

    @Test
    void populationsAndProjectionsCheckTheirShapes() {
        Network network = new Network();
        Population a = network.population("a", 3, Lif.CUBA, ExponentialSynapses.CUBA);
        Population b = network.population("b", 4, Lif.CUBA, ExponentialSynapses.CUBA);
        SparseConnections wrong = SparseConnections.fixedProbability(4, 4, 0.5, 1, new Generator(0));
        var e = assertThrows(IllegalArgumentException.class, () -> network.connect(a, b, Receptor.EXCITATORY, wrong, 0));
        assertEquals("connections are 4 → 4 but the populations have 3 and 4 neurons", e.getMessage());
        assertEquals(3, network.offset(b));
        assertThrows(IllegalArgumentException.class, () -> network.population("none", 0, Lif.CUBA, ExponentialSynapses.CUBA));
        assertThrows(IllegalArgumentException.class, () -> new ClockDrivenSimulator(network, -0.1, new Generator(0)));
    }
}
