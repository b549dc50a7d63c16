package dev.soma.app;

import dev.soma.app.plot.Chart;
import dev.soma.spiking.AdEx;
import dev.soma.spiking.ConductanceLif;
import dev.soma.spiking.Izhikevich;
import dev.soma.spiking.Lif;
import dev.soma.spiking.NeuronModel;
import dev.soma.spiking.Recording;
import dev.soma.spiking.StepResponse;
import java.io.PrintWriter;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code soma spike neuron}: one neuron's membrane potential under a step current, with its spikes. */
@Command(
        name = "neuron",
        mixinStandardHelpOptions = true,
        description = {
            "One spiking neuron under a step current: its membrane potential and its spikes.",
            "The current switches on at --onset and stays on. Its unit is the model's:",
            "  lif         R*I in mV (default 15; with --tau --threshold --reset --refractory)",
            "  izhikevich  Izhikevich's dimensionless I (default 10); presets rs, fs, ib, ch",
            "  adex        pA (default: the preset's, 500 or 400); presets tonic, adapting, burst",
            ""})
public final class SpikeNeuronCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--model", paramLabel = "lif|izhikevich|adex", defaultValue = "lif",
            description = "The neuron model (default: ${DEFAULT-VALUE}).")
    String model;

    @Option(names = "--preset", paramLabel = "NAME", description = "izhikevich: rs (default), fs, ib, ch; adex: tonic (default), adapting, burst.")
    String preset;

    @Option(names = "--current", paramLabel = "I", description = "The step current, in the model's unit (see above).")
    Double current;

    @Option(names = "--onset", paramLabel = "MS", defaultValue = "20", description = "When the current switches on, ms (default: ${DEFAULT-VALUE}).")
    double onset;

    @Option(names = "--duration", paramLabel = "MS", defaultValue = "300", description = "Simulated time, ms (default: ${DEFAULT-VALUE}).")
    double duration;

    @Option(names = "--dt", paramLabel = "MS", defaultValue = "0.05", description = "Time step, ms (default: ${DEFAULT-VALUE}).")
    double dt;

    @Mixin
    LifOptions lifOptions;

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
        SpikeCommand.requirePositiveMs(spec, "--dt", dt);
        SpikeCommand.requirePositiveMs(spec, "--duration", duration);
        if (!(onset >= 0) || !Double.isFinite(onset)) {
            throw new ParameterException(spec.commandLine(), "--onset must be >= 0 ms, got " + onset);
        }
        if (current != null && !Double.isFinite(current)) {
            throw new ParameterException(spec.commandLine(), "--current must be a finite number, got " + current);
        }
        String kind = model.toLowerCase(Locale.ROOT);
        if (!kind.equals("lif")) { // the LIF options would be silently ignored: say so instead
            for (String option : List.of("--tau", "--threshold", "--reset", "--refractory")) {
                if (spec.commandLine().getParseResult().hasMatchedOption(option)) {
                    throw new ParameterException(spec.commandLine(), option + " sets the lif model's parameters;"
                            + " the " + kind + " model takes --preset instead");
                }
            }
        }
        NeuronModel neuron;
        double input;
        double peak;
        String presetName;
        try {
            switch (kind) {
                case "lif" -> {
                    if (preset != null) {
                        throw new IllegalArgumentException("the lif model has no presets (set --tau, --threshold, --reset, --refractory)");
                    }
                    Lif lif = lifOptions.lif(spec);
                    neuron = lif;
                    input = current != null ? current : 15;
                    peak = lif.thresholdMv();
                    presetName = null;
                }
                case "izhikevich" -> {
                    presetName = preset != null ? preset.toLowerCase(Locale.ROOT) : "rs";
                    neuron = Izhikevich.preset(presetName);
                    input = current != null ? current : 10;
                    peak = Izhikevich.PEAK_MV;
                }
                case "adex" -> {
                    presetName = preset != null ? preset.toLowerCase(Locale.ROOT) : "tonic";
                    AdEx adex = AdEx.preset(presetName);
                    neuron = adex;
                    input = current != null ? current : (adex == AdEx.INITIAL_BURST ? 400 : 500);
                    peak = adex.peakMv();
                }
                default -> throw new IllegalArgumentException("unknown model '" + model + "' (expected lif, izhikevich or adex)");
            }
        } catch (IllegalArgumentException e) {
            throw SpikeCommand.badParameter(spec, e);
        }
        StepResponse response = StepResponse.simulate(neuron, input, onset, Double.POSITIVE_INFINITY, duration, dt);
        double[] spikes = response.spikeTimesMs();
        PrintWriter out = spec.commandLine().getOut();
        out.println(neuron.describe());
        out.printf("step current %s from %.1f ms, %.1f ms simulated at dt %s ms%n", input, onset, duration, dt);
        out.printf("%d spikes, %.2f Hz while the current is on%n", spikes.length, response.rateHz(onset, duration));
        if (spikes.length > 0) {
            int shown = Math.min(spikes.length, 12);
            StringBuilder times = new StringBuilder();
            for (int k = 0; k < shown; k++) {
                times.append(k == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.2f", spikes[k]));
            }
            out.println("spike times (ms): " + times + (spikes.length > shown ? ", ..." : ""));
        }
        if (plot.file != null) {
            chart(neuron, response, peak).save(plot.file);
            out.println("saved " + plot.file);
        }
        if (record.file != null) {
            Recording.of("spike neuron", kind, duration, List.of(response)).save(record.file);
            out.println("saved " + record.file);
        }
        if (json.enabled) {
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("model", kind);
            result.put("preset", presetName);
            result.put("current", input);
            result.put("onset_ms", onset);
            result.put("duration_ms", duration);
            result.put("dt_ms", dt);
            result.put("spikes", spikes.length);
            result.put("rate_hz", Math.round(response.rateHz(onset, duration) * 1e4) / 1e4);
            result.put("spike_times_ms", Arrays.stream(spikes).map(t -> Math.round(t * 1e6) / 1e6).toArray());
            result.put("seed", seed.value);
            out.println(Json.line(result));
        }
        out.flush();
        return 0;
    }

    private Chart chart(NeuronModel neuron, StepResponse response, double peak) {
        float[] v = response.membraneMv();
        double[] ts = new double[v.length + 1];
        double[] vs = new double[v.length + 1];
        ts[0] = 0;
        vs[0] = v.length > 0 ? initial(neuron) : Double.NaN;
        for (int k = 0; k < v.length; k++) {
            ts[k + 1] = (k + 1) * response.dtMs();
            vs[k + 1] = v[k];
        }
        double[] spikes = response.spikeTimesMs();
        double[] marks = new double[spikes.length];
        Arrays.fill(marks, peak);
        String title = switch (neuron) {
            case Lif lif -> "LIF, R*I = " + fmt(current != null ? current : 15) + " mV";
            case ConductanceLif lif -> "conductance-based LIF";
            case Izhikevich izh -> "Izhikevich " + (preset != null ? preset.toUpperCase(Locale.ROOT) : "RS");
            case AdEx adex -> "AdEx " + (preset != null ? preset.toLowerCase(Locale.ROOT) : "tonic");
        };
        return new Chart(title + ", " + spikes.length + " spikes", "time (ms)", "membrane potential (mV)")
                .line("V", ts, vs)
                .scatter("spikes", spikes, marks);
    }

    private static double initial(NeuronModel neuron) {
        return switch (neuron) {
            case Lif lif -> lif.restMv();
            case ConductanceLif lif -> lif.neuron().restMv();
            case Izhikevich izh -> izh.c();
            case AdEx adex -> adex.restMv();
        };
    }

    private static String fmt(double x) {
        return x == Math.rint(x) ? Long.toString((long) x) : Double.toString(x);
    }
}
