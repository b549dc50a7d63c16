package dev.soma.playground;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.soma.nn.Linear;
import org.junit.jupiter.api.Test;

/**
 * The LIF tab's numbers: the neuron's z and σ(z) by hand from its weights, the spiking neuron's rate
 * against the closed form {@code f = 1/(t_ref + τ·ln(I/(I − θ)))} and its subthreshold trace against
 * {@code V(t) = I·(1 − e^(−t/τ))}.
 */
class LifProbeTest {

    /** A single neuron (the AND preset) with w = (2, 1), b = 0.5: at (1.5, 0.5), z = 4. */
    private static Session neuron() {
        Session session = new Session(Presets.of("neuron-and"));
        session.setWeight(0, 0, 0, 2);
        session.setWeight(0, 0, 1, 1);
        session.setBias(0, 0, 0.5);
        return session;
    }

    @Test
    void theRateIsTheClosedFormsAndTheOutputIsSigmaOfTheWeightedSum() {
        var p = new LifProbe.Parameters(1, 0, 1.5, 0.5, 10, 20, 15, 2, 1000, 0.05);
        LifProbe.Result r = LifProbe.run(neuron(), p);
        assertEquals(4.0, r.z(), 1e-6);
        assertEquals(1 / (1 + Math.exp(-4.0)), r.output(), 1e-6);
        assertEquals("sigmoid", r.activation());
        assertEquals(40.0, r.currentMv(), 1e-5);

        double timeToThreshold = 20 * Math.log(40.0 / (40 - 15)); // 9.40 ms from the reset
        double closedForm = 1000 / (2 + timeToThreshold);            // 87.7 Hz
        assertEquals(closedForm, r.closedFormRateHz(), 1e-3);
        double[] spikes = r.spikeTimesMs();
        // the first spike comes from rest (0 mV, the reset) without a refractory period before it
        assertEquals(timeToThreshold, spikes[0], 2 * p.dtMs());
        double meanInterval = (spikes[spikes.length - 1] - spikes[0]) / (spikes.length - 1);
        assertEquals(2 + timeToThreshold, meanInterval, 2 * p.dtMs());
        assertEquals(Math.floor((1000 - timeToThreshold) / (2 + timeToThreshold)) + 1, spikes.length, 1);
        assertEquals(spikes.length, r.rateHz(), 1e-9); // 1 s simulated: spikes per second
        assertTrue(Math.abs(r.rateHz() - closedForm) / closedForm < 0.02, r.rateHz() + " Hz against " + closedForm);
    }

    @Test
    void belowThresholdTheTraceIsTheExponentialApproachAndNothingFires() {
        // x = (0.5, 0): z = 1.5, I = 6 mV < θ = 15 mV
        var p = new LifProbe.Parameters(1, 0, 0.5, 0, 4, 20, 15, 2, 100, 0.1);
        LifProbe.Result r = LifProbe.run(neuron(), p);
        assertEquals(1.5, r.z(), 1e-6);
        assertEquals(0, r.spikeTimesMs().length);
        assertEquals(0.0, r.closedFormRateHz());
        assertEquals(1000, r.membraneMv().length);
        for (int k = 0; k < r.membraneMv().length; k += 97) {
            double t = (k + 1) * p.dtMs();
            assertEquals(6 * (1 - Math.exp(-t / 20)), r.membraneMv()[k], 1e-4, "V at " + t + " ms");
        }
    }

    @Test
    void aHiddenNeuronsSumIsItsWeightsTimesTheFeatures() {
        Session session = new Session(Presets.of("xor-2-4-1"));
        session.step(200);
        Linear first = session.linears().get(0);
        float[] w = first.weight().toArray();
        float[] b = first.bias().toArray();
        double x1 = 0.3;
        double x2 = -0.7;
        double z = w[2 * 2] * x1 + w[2 * 2 + 1] * x2 + b[2]; // neuron 2 of hidden layer 1
        LifProbe.Result r = LifProbe.run(session, LifProbe.Parameters.defaults(1, 2, x1, x2));
        assertEquals(z, r.z(), 1e-5);
        assertEquals(Math.tanh(z), r.output(), 1e-5);
        assertEquals("tanh", r.activation());
        assertEquals(2000, r.membraneMv().length); // 200 ms in 0.1 ms steps

        // the output neuron of the same network: its inputs are the hidden layer's tanh values
        float[] hidden = LifProbe.weightedSums(session, 1, (float) x1, (float) x2);
        Linear out = session.linears().get(1);
        double zOut = out.bias().toArray()[0];
        for (int j = 0; j < 4; j++) {
            zOut += out.weight().toArray()[j] * Math.tanh(hidden[j]);
        }
        assertEquals(zOut, LifProbe.run(session, LifProbe.Parameters.defaults(2, 0, x1, x2)).z(), 1e-5);
    }

    @Test
    void outOfRangeRequestsSayWhich() {
        Session session = neuron();
        assertEquals("layer must be between 1 and 1 (the output), got 2", assertThrows(PlaygroundException.class,
                () -> LifProbe.run(session, LifProbe.Parameters.defaults(2, 0, 0, 0))).getMessage());
        assertEquals("neuron must be between 0 and 0, got 1", assertThrows(PlaygroundException.class,
                () -> LifProbe.run(session, LifProbe.Parameters.defaults(1, 1, 0, 0))).getMessage());
        assertEquals("durationMs / dtMs must be at most 20000 samples, got 100000", assertThrows(PlaygroundException.class,
                () -> new LifProbe.Parameters(1, 0, 0, 0, 10, 20, 15, 2, 1000, 0.01).validated()).getMessage());
        assertEquals("thresholdMv must be above 0.0 and at most 1000.0, got -5.0", assertThrows(PlaygroundException.class,
                () -> new LifProbe.Parameters(1, 0, 0, 0, 10, 20, -5, 2, 100, 0.1).validated()).getMessage());
    }
}
