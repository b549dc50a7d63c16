package dev.soma.spiking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.soma.tensor.Generator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StdpTest {

    private static final Stdp RULE = new Stdp(20, 20, 0.01, -0.0105, 1);
    /** Fires within a step or two of a strong input on its fast excitatory synapse; never on its own. */
    private static final Lif KICKED = new Lif(10, 0, 10, 0, 2);
    private static final ExponentialSynapses FAST = new ExponentialSynapses(0.2, 10);

    /** A pre and a post neuron, each kicked into one spike; the pre → post synapse (weight 0.5) learns. */
    private record Pair(double preMs, double postMs, float weight) {
    }

    private static Pair pair(double preKickMs, double postKickMs, Stdp rule, double initialWeight) {
        Network network = new Network();
        Population pre = network.population("pre", 1, KICKED, FAST);
        Population post = network.population("post", 1, KICKED, FAST);
        network.input(new SpikeTrainInput(pre, Receptor.EXCITATORY, new double[] {preKickMs}, 2000));
        network.input(new SpikeTrainInput(post, Receptor.EXCITATORY, new double[] {postKickMs}, 2000));
        // The synapse acts on the inhibitory receptor with a weight too small to move the post neuron's spike.
        Projection synapse = network.connect(pre, post, Receptor.INHIBITORY,
                SparseConnections.fixedProbability(1, 1, 1, initialWeight, new Generator(0)), 0);
        ClockDrivenSimulator simulator = new ClockDrivenSimulator(network, 0.1, new Generator(0));
        simulator.stdp(synapse, rule);
        simulator.run(Math.max(preKickMs, postKickMs) + 50);
        double[] preTimes = simulator.spikes().timesOf(0);
        double[] postTimes = simulator.spikes().timesOf(1);
        assertEquals(1, preTimes.length);
        assertEquals(1, postTimes.length);
        return new Pair(preTimes[0], postTimes[0], synapse.connections().weightsOf(0)[0]);
    }

    @ParameterizedTest
    @ValueSource(doubles = {2, 5, 20, 60, -2, -5, -20, -60})
    void onePairChangesTheWeightByTheClosedForm(double offsetMs) {
        Pair p = pair(100, 100 + offsetMs, RULE, 0.5);
        double delta = p.postMs - p.preMs;
        assertEquals(offsetMs, delta, 0.5, "each spike follows its kick within a few steps");
        double expected = delta > 0 ? 0.01 * Math.exp(-delta / 20) : -0.0105 * Math.exp(delta / 20);
        assertEquals(expected, RULE.pairChange(delta), 1e-15);
        assertEquals(0.5 + expected, p.weight, 1e-7, "Δt = " + delta + " ms");
    }

    @Test
    void weightsStayWithinZeroAndTheMaximum() {
        Stdp strong = new Stdp(20, 20, 0.8, -0.8, 1);
        assertEquals(1, pair(100, 101, strong, 0.9).weight, 0);
        assertEquals(0, pair(101, 100, strong, 0.1).weight, 0);
    }

    @Test
    void pairsAddUpAllToAll() {
        // Pre at about 100 and 110, post at about 105: Δw = A₊e^(−5/τ) + A₋e^(−5/τ), each Δt from the recorded times.
        Network network = new Network();
        Population pre = network.population("pre", 1, KICKED, FAST);
        Population post = network.population("post", 1, KICKED, FAST);
        network.input(new SpikeTrainInput(pre, Receptor.EXCITATORY, new double[] {100, 110}, 2000));
        network.input(new SpikeTrainInput(post, Receptor.EXCITATORY, new double[] {105}, 2000));
        Projection synapse = network.connect(pre, post, Receptor.INHIBITORY,
                SparseConnections.fixedProbability(1, 1, 1, 0.5, new Generator(0)), 0);
        ClockDrivenSimulator simulator = new ClockDrivenSimulator(network, 0.1, new Generator(0));
        simulator.stdp(synapse, RULE);
        simulator.run(200);
        double[] preTimes = simulator.spikes().timesOf(0);
        double postTime = simulator.spikes().timesOf(1)[0];
        double potentiation = RULE.pairChange(postTime - preTimes[0]);
        double depression = RULE.pairChange(postTime - preTimes[1]);
        assertTrue(potentiation > 0.005 && depression < -0.005, "a potentiation and a depression");
        double expected = potentiation + depression;
        assertEquals(0.5 + expected, synapse.connections().weightsOf(0)[0], 1e-7);
    }

    @Test
    void badRulesAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new Stdp(-1, 20, 0.01, -0.01, 1));
        var sign = assertThrows(IllegalArgumentException.class, () -> new Stdp(20, 20, 0.01, 0.01, 1));
        assertEquals("A₋ must be <= 0 (it depresses), got 0.01", sign.getMessage());
    }
}
