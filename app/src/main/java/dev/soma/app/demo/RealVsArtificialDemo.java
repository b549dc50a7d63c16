package dev.soma.app.demo;

import dev.soma.app.plot.Chart;
import dev.soma.app.plot.Figure;
import dev.soma.nn.Linear;
import dev.soma.spiking.ClockDrivenSimulator;
import dev.soma.spiking.ExponentialSynapses;
import dev.soma.spiking.Lif;
import dev.soma.spiking.MembraneRecorder;
import dev.soma.spiking.Network;
import dev.soma.spiking.Population;
import dev.soma.spiking.Receptor;
import dev.soma.spiking.SpikeRecorder;
import dev.soma.spiking.SpikeTrainInput;
import dev.soma.tensor.Generator;
import dev.soma.tensor.NoGrad;
import dev.soma.tensor.Tensor;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The lesson's closing table, measured: one input (eight intensities and eight weights) goes through
 * an artificial neuron, {@code y = ReLU(w·x + b)}, and through a leaky integrate-and-fire neuron whose
 * eight synapses receive Poisson spike trains at rates {@code x·100 Hz}, each spike adding its
 * synapse's weight ({@code w·12 mV}) to an exponentially decaying synaptic input. Each row of the table
 * (what travels, when, the threshold, where the weights live, how many operations) is filled with what
 * the two runs did.
 */
public final class RealVsArtificialDemo implements Demo {

    static final int INPUTS = 8;
    static final double DURATION_MS = 1000;
    static final double DT_MS = 0.1;
    static final double MAX_RATE_HZ = 100;
    static final double MV_PER_WEIGHT = 12;
    /** The membrane trace drawn: the first 250 ms, where single spikes can be told apart. */
    static final double PLOTTED_MS = 250;
    /** τ 10 ms, rest −65 mV, threshold −50 mV, reset −65 mV, refractory 2 ms. */
    static final Lif NEURON = new Lif(10, -65, -50, -65, 2);

    @Override
    public String name() {
        return "real-vs-artificial";
    }

    @Override
    public String summary() {
        return "one input through an artificial and a spiking neuron, the table measured";
    }

    @Override
    public Map<String, Object> run(DemoContext context) throws IOException {
        Generator generator = new Generator(context.seed());
        float[] x = new float[INPUTS];
        float[] w = new float[INPUTS];
        for (int i = 0; i < INPUTS; i++) {
            x[i] = generator.nextFloat();
            w[i] = 2 * generator.nextFloat() - 0.5f; // mostly excitatory, some inhibitory
        }
        float bias = 0;

        // The artificial neuron: one synchronous step, real numbers in and out.
        Linear layer = new Linear(INPUTS, 1, generator);
        float z;
        try (NoGrad scope = NoGrad.enter()) {
            System.arraycopy(w, 0, layer.weight().denseStorage(), 0, INPUTS);
            layer.bias().denseStorage()[0] = bias;
            z = layer.forward(Tensor.of(x, 1, INPUTS)).item();
        }
        float y = Math.max(0, z);

        // The real one: spikes at their own times, weights at the synapses, a threshold on the membrane.
        Network network = new Network();
        Population neuron = network.population("neuron", 1, NEURON, new ExponentialSynapses(5, 5));
        int[] inputSpikes = new int[INPUTS];
        for (int i = 0; i < INPUTS; i++) {
            double[] times = poissonTimes(x[i] * MAX_RATE_HZ, generator);
            inputSpikes[i] = times.length;
            Receptor receptor = w[i] >= 0 ? Receptor.EXCITATORY : Receptor.INHIBITORY;
            network.input(new SpikeTrainInput(neuron, receptor, times, w[i] * MV_PER_WEIGHT));
        }
        ClockDrivenSimulator simulator = new ClockDrivenSimulator(network, DT_MS, generator);
        MembraneRecorder membrane = simulator.recordMembrane(neuron, 0);
        simulator.run(DURATION_MS);
        SpikeRecorder spikes = simulator.spikes();
        double[] spikeTimes = spikes.timesOf(0);
        long events = 0;
        for (int count : inputSpikes) {
            events += count;
        }
        long updates = Math.round(DURATION_MS / DT_MS);
        double rate = spikeTimes.length / (DURATION_MS / 1000);

        List<String[]> rows = rows(x.length, y, z, events, spikeTimes, updates);
        context.say("One input, %d intensities x and weights w (seed %d), through both kinds of neuron:", INPUTS,
                context.seed());
        context.say("  x = %s", format(x));
        context.say("  w = %s", format(w));
        context.say("Artificial: y = ReLU(w·x + b) = ReLU(%.4f) = %.4f", z, y);
        context.say("Spiking (LIF, Poisson inputs at x·%.0f Hz, synapses w·%.0f mV): %d spikes in %.0f ms, %.1f Hz",
                MAX_RATE_HZ, MV_PER_WEIGHT, spikeTimes.length, DURATION_MS, rate);
        context.say("");
        context.say("%-14s %-44s %s", "", "artificial neuron", "real (spiking) neuron");
        for (String[] row : rows) {
            context.say("%-14s %-44s %s", row[0], row[1], row[2]);
        }
        if (context.plot() != null) {
            plot(membrane, spikeTimes, z, y).save(context.plot());
            context.say("Saved the membrane trace beside the artificial output to %s", context.plot());
        }

        Map<String, Object> artificial = new LinkedHashMap<>();
        artificial.put("travels", "real numbers");
        artificial.put("when", "one synchronous step");
        artificial.put("threshold", "none fixed: relu, 0 below w·x + b = 0");
        artificial.put("weights_in", "memory");
        artificial.put("pre_activation", z);
        artificial.put("output", y);
        artificial.put("weight_bytes", (INPUTS + 1) * Float.BYTES);
        artificial.put("multiply_adds", INPUTS);
        Map<String, Object> real = new LinkedHashMap<>();
        real.put("travels", "spikes");
        real.put("when", "asynchronous spike times");
        real.put("threshold_mv", NEURON.thresholdMv());
        real.put("rest_mv", NEURON.restMv());
        real.put("weights_in", "synapses");
        real.put("synapses", INPUTS);
        real.put("synaptic_weights_mv", scaled(w));
        real.put("duration_ms", DURATION_MS);
        real.put("input_spikes", inputSpikes);
        real.put("synaptic_events", events);
        real.put("output_spikes", spikes.count());
        real.put("spike_times_ms", spikeTimes);
        real.put("rate_hz", rate);
        real.put("membrane_updates", updates);
        List<Map<String, String>> table = new ArrayList<>();
        for (String[] row : rows) {
            table.add(Map.of("row", row[0], "artificial", row[1], "real", row[2]));
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("demo", name());
        result.put("seed", context.seed());
        result.put("inputs", x);
        result.put("weights", w);
        result.put("bias", bias);
        result.put("artificial", artificial);
        result.put("real", real);
        result.put("rows", table);
        return result;
    }

    /** A Poisson train at {@code rateHz} over the run: exponential intervals, times not on any grid. */
    private static double[] poissonTimes(double rateHz, Generator generator) {
        List<Double> times = new ArrayList<>();
        double t = 0;
        while (rateHz > 0) {
            t += -Math.log(1 - generator.nextDouble()) * 1000 / rateHz;
            if (t >= DURATION_MS) {
                break;
            }
            times.add(t);
        }
        return times.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static List<String[]> rows(int inputs, float y, float z, long events, double[] spikeTimes, long updates) {
        String first = spikeTimes.length == 0 ? "no output spike"
                : String.format(Locale.ROOT, "first output at %.1f ms", spikeTimes[0]);
        return List.of(
                new String[] {"what travels", String.format(Locale.ROOT, "%d real numbers in, one out (%.4f)", inputs, y),
                    String.format(Locale.ROOT, "spikes, all alike: %d in, %d out", events, spikeTimes.length)},
                new String[] {"when", "one synchronous step, all inputs at once",
                    String.format(Locale.ROOT, "asynchronous, each at its own time; %s", first)},
                new String[] {"threshold", String.format(Locale.ROOT, "none fixed: ReLU bends at 0 (z = %.3f)", z),
                    String.format(Locale.ROOT, "V crosses %.0f mV (%.0f above rest), resets",
                            NEURON.thresholdMv(), NEURON.thresholdMv() - NEURON.restMv())},
                new String[] {"weights", String.format(Locale.ROOT, "%d floats in memory (%d bytes)", inputs + 1,
                        (inputs + 1) * Float.BYTES), String.format(Locale.ROOT, "in %d synapses at the neuron", inputs)},
                new String[] {"operations", String.format(Locale.ROOT, "%d multiply-adds", inputs),
                    String.format(Locale.ROOT, "%d synaptic events, %d membrane updates", events, updates)});
    }

    private static Figure plot(MembraneRecorder membrane, double[] spikeTimes, float z, float y) {
        float[] v = java.util.Arrays.copyOf(membrane.trace(0), (int) Math.round(PLOTTED_MS / DT_MS));
        double[] ts = new double[v.length];
        double[] vs = new double[v.length];
        for (int k = 0; k < v.length; k++) {
            ts[k] = membrane.timeMs(k);
            vs[k] = v[k];
        }
        double[] shown = java.util.Arrays.stream(spikeTimes).filter(t -> t <= PLOTTED_MS).toArray();
        double[] marks = new double[shown.length];
        java.util.Arrays.fill(marks, NEURON.thresholdMv());
        String title = String.format(Locale.ROOT, "Spiking neuron: %d spikes in %.0f ms (first %.0f ms)",
                spikeTimes.length, DURATION_MS, PLOTTED_MS);
        Chart real = new Chart(title, "time (ms)", "membrane (mV)")
                .line("V", ts, vs)
                .dashedLine("threshold", new double[] {0, PLOTTED_MS},
                        new double[] {NEURON.thresholdMv(), NEURON.thresholdMv()})
                .scatter("spikes", shown, marks);
        double reach = Math.max(1, 1.5 * Math.abs(z));
        double[] zs = {-reach, 0, reach};
        Chart artificial = new Chart(String.format(Locale.ROOT, "Artificial neuron: y = %.3f", y), "w·x + b", "y")
                .line("ReLU", zs, new double[] {0, 0, reach})
                .scatter("this input", new double[] {z}, new double[] {y});
        return new Figure(2, real, artificial);
    }

    private static String format(float[] values) {
        StringBuilder text = new StringBuilder("[");
        for (int i = 0; i < values.length; i++) {
            text.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.3f", values[i]));
        }
        return text.append(']').toString();
    }

    private static double[] scaled(float[] w) {
        double[] mv = new double[w.length];
        for (int i = 0; i < w.length; i++) {
            mv[i] = w[i] * MV_PER_WEIGHT;
        }
        return mv;
    }
}
