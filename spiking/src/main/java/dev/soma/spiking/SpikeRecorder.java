package dev.soma.spiking;

import java.util.Arrays;

/**
 * Every spike of a simulation: the step at whose end it was detected and the neuron's global index
 * ({@link Network#offset}), in the order they happened (by step, then by population, then by index).
 * Time of a spike: {@code (step + 1)·dt}.
 */
public final class SpikeRecorder {

    private final double dtMs;
    private final int neurons;
    private long[] steps = new long[1024];
    private int[] ids = new int[1024];
    private int count;

    SpikeRecorder(double dtMs, int neurons) {
        this.dtMs = dtMs;
        this.neurons = neurons;
    }

    void record(long step, int offset, int[] spikes, int n) {
        if (count + n > ids.length) {
            int capacity = Math.max(count + n, ids.length + (ids.length >> 1));
            steps = Arrays.copyOf(steps, capacity);
            ids = Arrays.copyOf(ids, capacity);
        }
        for (int k = 0; k < n; k++) {
            steps[count] = step;
            ids[count++] = offset + spikes[k];
        }
    }

    /** The number of spikes. */
    public int count() {
        return count;
    }

    /** The neurons of the network recorded from. */
    public int neurons() {
        return neurons;
    }

    /** The time of spike {@code k}, ms. */
    public double timeMs(int k) {
        return (steps[k] + 1) * dtMs;
    }

    /** The neuron of spike {@code k}. */
    public int neuron(int k) {
        return ids[k];
    }

    /** The spike times of {@code neuron}, ms, in order. */
    public double[] timesOf(int neuron) {
        int n = 0;
        for (int k = 0; k < count; k++) {
            if (ids[k] == neuron) {
                n++;
            }
        }
        double[] times = new double[n];
        int j = 0;
        for (int k = 0; k < count; k++) {
            if (ids[k] == neuron) {
                times[j++] = timeMs(k);
            }
        }
        return times;
    }

    /** Spike counts per neuron. */
    public int[] countsPerNeuron() {
        int[] counts = new int[neurons];
        for (int k = 0; k < count; k++) {
            counts[ids[k]]++;
        }
        return counts;
    }

    /** The mean firing rate over all neurons and {@code durationMs}, Hz. */
    public double meanRateHz(double durationMs) {
        return count / (neurons * durationMs / 1000);
    }

    /**
     * The coefficient of variation of the inter-spike intervals, {@code std(ISI)/mean(ISI)} (population
     * standard deviation), computed for each neuron with at least {@code 2} intervals and averaged
     * over those neurons; NaN when none has. 1 for a Poisson process, 0 for a clock.
     */
    public double isiCv() {
        int[] perNeuron = countsPerNeuron();
        int[] start = new int[neurons + 1];
        for (int i = 0; i < neurons; i++) {
            start[i + 1] = start[i] + perNeuron[i];
        }
        double[] times = new double[count];
        int[] next = Arrays.copyOf(start, neurons);
        for (int k = 0; k < count; k++) {
            times[next[ids[k]]++] = timeMs(k);
        }
        double sum = 0;
        int counted = 0;
        for (int i = 0; i < neurons; i++) {
            int intervals = perNeuron[i] - 1;
            if (intervals < 2) {
                continue;
            }
            double mean = (times[start[i + 1] - 1] - times[start[i]]) / intervals;
            double squares = 0;
            for (int k = start[i] + 1; k < start[i + 1]; k++) {
                double d = times[k] - times[k - 1] - mean;
                squares += d * d;
            }
            sum += Math.sqrt(squares / intervals) / mean;
            counted++;
        }
        return counted == 0 ? Double.NaN : sum / counted;
    }

    /**
     * The population rate in bins of {@code binMs} over {@code (0, durationMs]}: spikes / (neurons · bin), Hz.
     * Bin {@code b} holds the spikes at times in {@code (b·bin, (b + 1)·bin]}, as a spike's time is the end
     * of the step in which it was detected.
     */
    public double[] rateHistogramHz(double binMs, double durationMs) {
        Check.positive("bin width", binMs, "ms");
        int bins = (int) Math.ceil(durationMs / binMs);
        double[] rates = new double[bins];
        for (int k = 0; k < count; k++) {
            int bin = (int) Math.ceil(timeMs(k) / binMs) - 1;
            if (bin >= 0 && bin < bins) {
                rates[bin]++;
            }
        }
        for (int b = 0; b < bins; b++) {
            rates[b] /= neurons * binMs / 1000;
        }
        return rates;
    }
}
