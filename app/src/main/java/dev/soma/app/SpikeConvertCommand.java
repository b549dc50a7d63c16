package dev.soma.app;

import dev.soma.app.plot.Chart;
import dev.soma.data.Batch;
import dev.soma.io.ModelFile;
import dev.soma.spiking.ConversionPlan;
import dev.soma.spiking.ConvertedNetwork;
import dev.soma.spiking.ConvertedNetwork.InputCoding;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code soma spike convert}: a trained ReLU MLP or CNN run as a spiking network, beside the ANN it came from. */
@Command(
        name = "convert",
        mixinStandardHelpOptions = true,
        description = {
            "Run a trained ReLU network as integrate-and-fire neurons, beside the ANN.",
            "Rueckauer et al. 2017: no leak, threshold 1, reset by subtraction, each layer",
            "scaled by a percentile of its activations on training images. The image enters",
            "as a constant current; the class is the output neuron with the most spikes.",
            "Energy proxy: synaptic events per image (a spike reaching a synapse: one",
            "addition) against the ANN's multiply-adds; the constant input current W1*x",
            "costs the first layer's multiply-adds once. MLPs and CNNs convert: BatchNorm",
            "is folded into the layer before it, max-pooling gates the spikes of the unit",
            "firing most, average pooling is a linear layer.",
            "Example: soma spike convert mlp.safetensors --data fashion-mnist --limit 1000",
            ""})
public final class SpikeConvertCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "MODEL.safetensors", description = "A ReLU MLP or CNN saved by soma train.")
    Path file;

    @Mixin
    DataOptions data;

    @Option(names = "--steps", split = ",", paramLabel = "T", defaultValue = "16,32,64,128,256,512",
            description = "Numbers of time steps to read the class at (default: ${DEFAULT-VALUE}).")
    int[] steps;

    @Option(names = "--limit", paramLabel = "N", description = "Only the first N test images (default: all).")
    Integer limit;

    @Option(names = "--percentile", paramLabel = "P", defaultValue = "99.9",
            description = "Percentile of each layer's activations that becomes its scale (default: ${DEFAULT-VALUE}).")
    double percentile;

    @Option(names = "--calibration", paramLabel = "N",
            description = "Training images whose activations set the scales (default: 10000, or 1000 for a"
                    + " convolutional network, whose activations are larger).")
    Integer calibration;

    @Option(names = "--input", paramLabel = "current|poisson", defaultValue = "current",
            description = "How the image enters: a constant current, or Poisson spikes at the pixel's rate"
                    + " (default: ${DEFAULT-VALUE}).")
    String input;

    // NOTE: the options that every command shares are written once, in Options; each command still
    // names the mixins it takes, so these lines repeat from command to command.
    @Mixin
    Options.Seed seed;

    @Mixin
    Options.Json json;

    @Mixin
    Options.Plot plot;

    @Override
    public Integer call() throws Exception {
        plot.check();
        InputCoding coding = checkOptions();
        PrintWriter out = spec.commandLine().getOut();
        ModelFile saved = ModelFile.load(file);
        DataOptions.Loaded loaded = data.load(seed.value);
        ModelChoice.requireFits(file.toString(), saved.spec(), loaded.name(), loaded.inputShape(),
                loaded.classNames().size());
        // Refuses a model that does not convert before any image is simulated.
        ConversionPlan plan = ConversionPlan.of(saved.model(), loaded.inputShape());
        saved.model().eval();

        int calibrationWanted = calibration != null ? calibration : plan.convolutional() ? 1000 : 10_000;
        int calibrationSize = Math.min(calibrationWanted, loaded.train().size());
        Batch calibrationImages = loaded.train().batch(IntStream.range(0, calibrationSize).toArray());
        ConvertedNetwork network = ConvertedNetwork.convert(saved.model(), calibrationImages.inputs(), percentile);
        int count = limit == null ? loaded.test().size() : Math.min(limit, loaded.test().size());
        Batch test = loaded.test().batch(IntStream.range(0, count).toArray());
        int[] labels = ConvertedNetwork.labels(test.targets());
        double annAccuracy = ConvertedNetwork.accuracy(ConvertedNetwork.annPredictions(saved.model(), test.inputs()), labels);

        long start = System.nanoTime();
        ConvertedNetwork.Run run = network.simulate(test.inputs(), steps, coding, seed.value);
        double seconds = (System.nanoTime() - start) / 1e9;
        int[] sortedSteps = run.checkpoints();
        double[] snnAccuracy = new double[sortedSteps.length];
        double[] eventsPerImage = new double[sortedSteps.length];
        long[] annMacs = new long[sortedSteps.length];
        for (int k = 0; k < sortedSteps.length; k++) {
            snnAccuracy[k] = ConvertedNetwork.accuracy(run.predictions()[k], labels);
            eventsPerImage[k] = (double) run.synapticEvents()[k] / count;
            annMacs[k] = network.annMacs();
        }

        out.printf(Locale.ROOT, "%s on the %s test set (%,d images), scales (p%s, %,d images) %s%n", file,
                loaded.name(), count, trim(percentile), calibrationSize, formatScales(network.scales()));
        out.println("layers " + String.join(" → ", network.layerNames()));
        out.printf(Locale.ROOT, "ANN accuracy %.4f, %,d multiply-adds per image%n", annAccuracy, network.annMacs());
        out.printf(Locale.ROOT, "%8s %14s %22s %12s%n", "steps", "SNN accuracy", "synaptic events/image", "vs ANN MACs");
        for (int k = 0; k < sortedSteps.length; k++) {
            out.printf(Locale.ROOT, "%8d %14.4f %,22.0f %11.2fx%n", sortedSteps[k], snnAccuracy[k], eventsPerImage[k],
                    eventsPerImage[k] / network.annMacs());
        }
        if (coding == InputCoding.CURRENT) {
            out.printf(Locale.ROOT, "plus %,d multiply-adds per image for the constant input current W1*x%n",
                    network.inputMacs());
        }
        out.printf(Locale.ROOT, "simulated %,d images x %d steps in %.1f s%n", count, sortedSteps[sortedSteps.length - 1],
                seconds);
        if (plot.file != null) {
            chart(sortedSteps, snnAccuracy, annAccuracy).save(plot.file);
            out.println("saved " + plot.file);
        }
        if (json.enabled) {
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("ann_accuracy", annAccuracy);
            result.put("steps", sortedSteps);
            result.put("snn_accuracy", snnAccuracy);
            result.put("synaptic_events", eventsPerImage);
            result.put("ann_macs", annMacs);
            result.put("input_macs", coding == InputCoding.CURRENT ? network.inputMacs() : 0);
            result.put("images", count);
            result.put("percentile", percentile);
            result.put("scales", network.scales());
            result.put("layers", network.layerNames());
            result.put("calibration", calibrationSize);
            result.put("input", input);
            result.put("wall_seconds", seconds);
            result.put("seed", seed.value);
            out.println(Json.line(result));
        }
        out.flush();
        return 0;
    }

    private InputCoding checkOptions() {
        if (steps.length == 0) {
            throw new ParameterException(spec.commandLine(), "--steps needs at least one number of steps");
        }
        for (int t : steps) {
            if (t < 1) {
                throw new ParameterException(spec.commandLine(), "--steps must all be ≥ 1, got " + t);
            }
        }
        if (limit != null && limit < 1) {
            throw new ParameterException(spec.commandLine(), "--limit must be ≥ 1, got " + limit);
        }
        if (!(percentile > 0 && percentile <= 100)) {
            throw new ParameterException(spec.commandLine(), "--percentile must be in (0, 100], got " + percentile);
        }
        if (calibration != null && calibration < 1) {
            throw new ParameterException(spec.commandLine(), "--calibration must be ≥ 1, got " + calibration);
        }
        return switch (input) {
            case "current" -> InputCoding.CURRENT;
            case "poisson" -> InputCoding.POISSON;
            default -> throw new ParameterException(spec.commandLine(), "--input must be current or poisson, got '"
                    + input + "'");
        };
    }



    private static String trim(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
    }

    private static String formatScales(double[] scales) {
        StringBuilder text = new StringBuilder("[");
        for (int l = 0; l < scales.length; l++) {
            text.append(l == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.3g", scales[l]));
        }
        return text.append(']').toString();
    }

    private static Chart chart(int[] steps, double[] snnAccuracy, double annAccuracy) {
        double[] xs = Arrays.stream(steps).asDoubleStream().toArray();
        double[] ann = new double[xs.length];
        Arrays.fill(ann, annAccuracy);
        return new Chart("Converted network: accuracy against time steps", "time steps", "test accuracy")
                .line("spiking network", xs, snnAccuracy)
                .dashedLine(String.format(Locale.ROOT, "ANN %.4f", annAccuracy), xs, ann);
    }
}
