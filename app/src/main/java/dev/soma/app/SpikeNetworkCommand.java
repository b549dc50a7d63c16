package dev.soma.app;

import dev.soma.app.plot.Chart;
import dev.soma.app.plot.Figure;
import dev.soma.spiking.ClockDrivenSimulator;
import dev.soma.spiking.Cuba;
import dev.soma.spiking.MembraneRecorder;
import dev.soma.spiking.Recording;
import dev.soma.spiking.SpikeRecorder;
import dev.soma.tensor.Generator;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code soma spike network}: the CUBA benchmark network, simulated, with its rates and raster. */
@Command(
        name = "network",
        mixinStandardHelpOptions = true,
        description = {
            "The CUBA network (Vogels & Abbott 2005, as in Brian2's examples): LIF neurons, 80%%",
            "excitatory, 80 random inputs each (p = 0.02 at 4000 neurons), exponential synapses,",
            "dt 0.1 ms. It fires irregularly by itself. wall_seconds times the simulation alone.",
            ""})
public final class SpikeNetworkCommand implements Callable<Integer> {

    /** Excitatory neurons whose membrane {@code --record} saves. */
    static final int RECORDED_TRACES = 5;

    /** The raster shows at most this many neurons and this much time, so that its dots stay apart. */
    private static final int RASTER_NEURONS = 400;
    private static final double RASTER_MS = 1000;

    @Spec
    CommandSpec spec;

    @Option(names = "--neurons", paramLabel = "N", defaultValue = "4000", description = "Neurons (default: ${DEFAULT-VALUE}).")
    int neurons;

    @Option(names = "--synapses-per-neuron", paramLabel = "N", defaultValue = "80",
            description = "Inputs per neuron on average, p = N/neurons (default: ${DEFAULT-VALUE}).")
    double synapsesPerNeuron;

    @Option(names = "--seconds", paramLabel = "S", defaultValue = "1", description = "Simulated seconds (default: ${DEFAULT-VALUE}).")
    double seconds;

    // NOTE: the options that every command shares are written once, in Options; each command still
    // names the mixins it takes, so these lines repeat from command to command.
    @Mixin
    Options.Seed seed;

    @Mixin
    Options.Json json;

    @Mixin
    Options.Plot plot;

    @Mixin
    Options.Record record;

    @Override
    public Integer call() throws Exception {
        plot.check();
        record.check();
        if (neurons < 5) {
            throw new ParameterException(spec.commandLine(), "--neurons must be >= 5, got " + neurons);
        }
        if (!(seconds > 0) || !Double.isFinite(seconds)) {
            throw new ParameterException(spec.commandLine(), "--seconds must be > 0, got " + seconds);
        }
        if (!(synapsesPerNeuron > 0) || !Double.isFinite(synapsesPerNeuron)) {
            throw new ParameterException(spec.commandLine(), "--synapses-per-neuron must be > 0, got " + synapsesPerNeuron);
        }
        long buildStart = System.nanoTime();
        Cuba cuba = Cuba.build(neurons, synapsesPerNeuron, seed.value);
        ClockDrivenSimulator simulator = new ClockDrivenSimulator(cuba.network(), Cuba.DT_MS, new Generator(seed.value));
        double buildSeconds = (System.nanoTime() - buildStart) / 1e9;
        // With --record, the membrane of the first RECORDED_TRACES excitatory neurons too.
        MembraneRecorder traces = record.file == null ? null : simulator.recordMembrane(cuba.excitatory(),
                IntStream.range(0, RECORDED_TRACES).toArray());
        long runStart = System.nanoTime();
        simulator.run(seconds * 1000);
        double wallSeconds = (System.nanoTime() - runStart) / 1e9;

        SpikeRecorder spikes = simulator.spikes();
        double rate = spikes.meanRateHz(seconds * 1000);
        double cv = spikes.isiCv();
        long synapses = cuba.network().synapses();
        PrintWriter out = spec.commandLine().getOut();
        out.printf("CUBA: %d neurons (%d excitatory, %d inhibitory), %d synapses (%.2f bytes each)%n", neurons,
                cuba.excitatory().size(), cuba.inhibitory().size(), synapses, cuba.network().bytesPerSynapse());
        out.printf("%.2f s simulated in %.3f s (%.3f s per simulated second; %.3f s to build)%n", seconds, wallSeconds,
                wallSeconds / seconds, buildSeconds);
        out.printf("%d spikes, mean rate %.3f Hz, ISI CV %.3f%n", spikes.count(), rate, cv);
        if (plot.file != null) {
            figure(spikes).save(plot.file);
            out.println("saved " + plot.file);
        }
        if (record.file != null) {
            Recording.of("spike network", Cuba.DT_MS, seconds * 1000, spikes, List.of(traces)).save(record.file);
            out.println("saved " + record.file);
        }
        if (json.enabled) {
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("neurons", neurons);
            result.put("synapses", synapses);
            result.put("synapses_per_neuron", synapsesPerNeuron);
            result.put("bio_seconds", seconds);
            result.put("wall_seconds", Math.round(wallSeconds * 1e4) / 1e4);
            result.put("spikes", spikes.count());
            result.put("mean_rate_hz", Math.round(rate * 1e4) / 1e4);
            result.put("isi_cv", Double.isNaN(cv) ? null : Math.round(cv * 1e4) / 1e4);
            result.put("build_seconds", Math.round(buildSeconds * 1e4) / 1e4);
            result.put("bytes_per_synapse", Math.round(cuba.network().bytesPerSynapse() * 1e4) / 1e4);
            double peak = PeakMemory.mebibytes();
            result.put("peak_rss_mib", Double.isNaN(peak) ? null : Math.round(peak * 10) / 10.0);
            result.put("dt_ms", Cuba.DT_MS);
            result.put("seed", seed.value);
            out.println(Json.line(result));
        }
        out.flush();
        return 0;
    }

    private Figure figure(SpikeRecorder spikes) {
        double window = Math.min(RASTER_MS, seconds * 1000);
        int shown = Math.min(RASTER_NEURONS, neurons);
        int n = 0;
        double[] ts = new double[spikes.count()];
        double[] ids = new double[spikes.count()];
        for (int k = 0; k < spikes.count(); k++) {
            if (spikes.timeMs(k) <= window && spikes.neuron(k) < shown) {
                ts[n] = spikes.timeMs(k);
                ids[n++] = spikes.neuron(k);
            }
        }
        Chart raster = new Chart("spikes of neurons 0-" + (shown - 1), "time (ms)", "neuron")
                .dots(null, java.util.Arrays.copyOf(ts, n), java.util.Arrays.copyOf(ids, n))
                .xRange(0, window)
                .yRange(-0.5, shown - 0.5);
        double bin = 5;
        double[] rates = spikes.rateHistogramHz(bin, window);
        double[] centres = new double[rates.length];
        for (int b = 0; b < rates.length; b++) {
            centres[b] = (b + 0.5) * bin;
        }
        Chart rate = new Chart("population rate, " + bin + " ms bins (all neurons)", "time (ms)", "rate (Hz)")
                .line(null, centres, rates)
                .xRange(0, window);
        return new Figure(2, raster, rate).title("CUBA, " + neurons + " LIF neurons");
    }
}
