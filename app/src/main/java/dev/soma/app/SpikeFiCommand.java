package dev.soma.app;

import dev.soma.app.plot.Chart;
import dev.soma.spiking.FiCurve;
import dev.soma.spiking.Lif;
import dev.soma.spiking.Recording;
import dev.soma.spiking.StepResponse;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code soma spike fi}: the f–I curve of a LIF neuron, simulated beside the closed form. */
@Command(
        name = "fi",
        mixinStandardHelpOptions = true,
        description = {
            "The f-I curve of a leaky integrate-and-fire neuron: its firing rate under each constant",
            "input, simulated (exact integration, clock-driven) beside the closed form",
            "  f = 1 / (t_ref + tau * ln(I / (I - theta)))      (rest and reset at 0 mV)",
            "Inputs are R*I, in mV. The defaults give 34.5, 43.6, 62.6 and 83.8 Hz.",
            ""})
public final class SpikeFiCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    LifOptions neuron;

    @Option(names = "--currents", split = ",", paramLabel = "MV", defaultValue = "11,12,15,20",
            description = "Inputs R*I, mV (default: ${DEFAULT-VALUE}).")
    double[] currents;

    @Option(names = "--duration", paramLabel = "MS", defaultValue = "2000", description = "Simulated time per input, ms (default: ${DEFAULT-VALUE}).")
    double duration;

    @Option(names = "--dt", paramLabel = "MS", defaultValue = "0.01", description = "Time step, ms (default: ${DEFAULT-VALUE}).")
    double dt;

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
        Lif lif = neuron.lif(spec);
        FiCurve curve;
        try {
            curve = FiCurve.of(lif, currents, duration, dt);
        } catch (IllegalArgumentException e) {
            throw SpikeCommand.badParameter(spec, e);
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println(lif.describe());
        out.printf("%12s %14s %14s%n", "I (mV)", "simulated (Hz)", "exact (Hz)");
        for (int k = 0; k < currents.length; k++) {
            out.printf("%12.2f %14.2f %14.2f%n", currents[k], curve.simulatedHz()[k], curve.analyticHz()[k]);
        }
        if (plot.file != null) {
            chart(lif, curve).save(plot.file);
            out.println("saved " + plot.file);
        }
        if (record.file != null) {
            // Neuron k is the neuron under currents[k]: the same runs as the curve's, kept whole.
            List<StepResponse> responses = new ArrayList<>();
            for (double current : currents) {
                responses.add(StepResponse.simulate(lif, current, 0, duration, duration, dt));
            }
            Recording.of("spike fi", "lif", duration, responses).save(record.file);
            out.println("saved " + record.file);
        }
        if (json.enabled) {
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("tau_ms", lif.tauMs());
            result.put("threshold_mv", lif.thresholdMv());
            result.put("reset_mv", lif.resetMv());
            result.put("refractory_ms", lif.refractoryMs());
            result.put("currents_mv", currents);
            result.put("simulated_hz", round(curve.simulatedHz()));
            result.put("analytic_hz", round(curve.analyticHz()));
            result.put("dt_ms", dt);
            result.put("duration_ms", duration);
            result.put("seed", seed.value);
            out.println(Json.line(result));
        }
        out.flush();
        return 0;
    }

    private static double[] round(double[] rates) {
        return Arrays.stream(rates).map(r -> Math.round(r * 1e4) / 1e4).toArray();
    }

    private Chart chart(Lif lif, FiCurve curve) {
        double top = Math.max(Arrays.stream(currents).max().orElse(0), 2 * (lif.thresholdMv() - lif.resetMv())) * 1.1;
        int n = 400;
        double[] xs = new double[n];
        double[] ys = new double[n];
        for (int k = 0; k < n; k++) {
            xs[k] = top * k / (n - 1);
            ys[k] = lif.rateHz(xs[k]);
        }
        return new Chart("f-I curve, tau " + lif.tauMs() + " ms, threshold " + lif.thresholdMv() + " mV, t_ref "
                + lif.refractoryMs() + " ms",
                "input R*I (mV)", "rate (Hz)")
                .line("exact", xs, ys)
                .scatter("simulated, dt " + dt + " ms", curve.currentsMv(), curve.simulatedHz());
    }
}
