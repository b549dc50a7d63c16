package dev.soma.spiking;

import dev.soma.tensor.Generator;
import java.util.Arrays;

/**
 * Spikes at given times into every neuron of a population, each adding {@code weight} to the
 * receptor's synaptic input (as Brian2's {@code SpikeGeneratorGroup} with one synapse per target).
 * The clock-driven simulator adds each at the start of the step nearest its time; the event-driven
 * one at the time itself, so times on the grid give both the same input.
 *
 * @param timesMs the spike times, ms (≥ 0; kept sorted)
 */
public record SpikeTrainInput(Population target, Receptor receptor, double[] timesMs, double weight) implements Input {

    public SpikeTrainInput {
        timesMs = timesMs.clone();
        Arrays.sort(timesMs);
        for (double t : timesMs) {
            Check.nonNegative("spike time", t, "ms");
        }
        Check.finite("weight", weight, "");
    }

    @Override
    public double[] timesMs() {
        return timesMs.clone();
    }

    @Override
    public void apply(long step, double dtMs, Generator g) {
        double from = (step - 0.5) * dtMs;
        double to = (step + 0.5) * dtMs;
        for (int k = firstAtOrAfter(timesMs, from); k < timesMs.length && timesMs[k] < to; k++) {
            if (Math.round(timesMs[k] / dtMs) == step) {
                add(weight);
            }
        }
    }

    /** The index of the first of the sorted {@code times} at or after {@code t}. */
    static int firstAtOrAfter(double[] times, double t) {
        int low = 0;
        int high = times.length;
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (times[mid] < t) {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        return low;
    }

    /** Adds {@code w} to every target neuron's synaptic input at the receptor. */
    void add(double w) {
        double[] input = target.synapticInput(receptor);
        for (int i = 0; i < input.length; i++) {
            input[i] += w;
        }
    }
}
