package dev.soma.app;

import dev.soma.app.plot.Chart;
import dev.soma.data.Background;
import dev.soma.data.Batch;
import dev.soma.data.Dataset;
import dev.soma.data.Transform;
import dev.soma.io.ModelFile;
import dev.soma.io.Preprocessing;
import dev.soma.tensor.Tensor;
import dev.soma.train.ConfusionMatrix;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;

/** {@code soma eval}: a saved model's accuracy on a test set, per class, with its confusion matrix. */
@Command(
        name = "eval",
        mixinStandardHelpOptions = true,
        description = {
            "Evaluate a saved model on the test split of a dataset.",
            "It prints the accuracy, the accuracy of each class and the confusion matrix.",
            "The data, its picture size and normalisation are those the model file records,",
            "unless --data, --channels or --image-size say otherwise.",
            "Example: soma eval cnn.safetensors --data fashion-mnist"})
public final class EvalCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE.safetensors", description = "A model saved by soma train.")
    Path file;

    @Mixin
    EvalDataOptions data;

    @Option(names = "--batch", paramLabel = "N", defaultValue = "256", description = "Batch size (default: ${DEFAULT-VALUE}).")
    int batch;

    @Mixin
    Options.Invert invert;

    // NOTE: the options that train, eval and demo share are written once, in Options; each command
    // still names the mixins it takes, so these lines repeat from command to command.
    @Mixin
    Options.Seed seed;

    @Mixin
    Options.Plot plot;

    @Mixin
    Options.Json json;

    @Override
    public Integer call() throws Exception {
        if (batch < 1) {
            throw new ParameterException(spec.commandLine(), "--batch must be ≥ 1, got " + batch);
        }
        plot.check();
        PrintWriter out = spec.commandLine().getOut();
        ModelFile saved = ModelFile.load(file);
        Preprocessing input = saved.input();
        fillFromFile(input);
        DataOptions.Loaded loaded = data.load(seed.value);
        Dataset test = loaded.test();
        Inverter inverter = null;
        if (input.kind() == Preprocessing.Kind.IMAGES && input.background() != Background.MIXED && invert.enabled()) {
            inverter = new Inverter(input);
            test = test.map(inverter);
        }
        if (input.kind() == Preprocessing.Kind.IMAGES && input.normalizes()) {
            test = test.map(Transform.normalize(input.meanValues(), input.stdValues()));
        }
        List<String> classes = loaded.classNames();
        List<String> known = saved.classNames();
        if (!known.isEmpty() && !known.equals(classes) && known.containsAll(classes)) {
            test = test.map(relabel(classes, known)); // a test set without some of the model's classes
            classes = known;
        }
        ModelChoice.requireFits(file.toString(), saved.spec(), loaded.name(), loaded.inputShape(), classes.size());
        ConfusionMatrix matrix = ConfusionMatrix.of(saved.model(), test, classes.size(), batch);
        if (inverter != null && inverter.inverted > 0) {
            PrintWriter err = spec.commandLine().getErr();
            err.printf(Locale.ROOT, "soma: %,d of %,d test pictures have a %s background; the model was trained on %s"
                    + " backgrounds, so they were inverted (use --no-invert to keep them)%n", inverter.inverted,
                    matrix.total(), input.background().opposite().id(), input.background().id());
            err.flush();
        }
        out.printf(Locale.ROOT, "%s on the %s test set (%,d examples): accuracy %.4f%n", file, loaded.name(),
                matrix.total(), matrix.accuracy());
        out.println();
        double[] perClass = matrix.perClassAccuracy();
        List<String> missing = new ArrayList<>();
        int width = Math.max("class".length(), classes.stream().mapToInt(String::length).max().orElse(0));
        out.printf(Locale.ROOT, "  %-" + width + "s  accuracy  examples%n", "class");
        for (int c = 0; c < classes.size(); c++) {
            if (Double.isNaN(perClass[c])) {
                missing.add(classes.get(c));
            }
            String accuracy = Double.isNaN(perClass[c]) ? "n/a" : String.format(Locale.ROOT, "%.4f", perClass[c]);
            out.printf(Locale.ROOT, "  %-" + width + "s  %8s  %8d%n", classes.get(c), accuracy, rowTotal(matrix, c));
        }
        if (!missing.isEmpty()) {
            PrintWriter err = spec.commandLine().getErr();
            err.println("soma: warning: the test set has no examples of " + (missing.size() == 1 ? "class " : "classes ")
                    + String.join(", ", missing) + ", which the model knows: " + (missing.size() == 1 ? "its" : "their")
                    + " accuracy is n/a");
            err.flush();
        }
        out.println();
        out.println("Confusion matrix (rows: true class, columns: predicted class):");
        printMatrix(out, matrix);
        if (plot.file != null) {
            plot(matrix, classes);
            out.println("Saved the confusion matrix to " + plot.file);
        }
        if (json.enabled) {
            List<Map<String, Object>> rows = new ArrayList<>();
            for (int c = 0; c < classes.size(); c++) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("class", classes.get(c));
                row.put("index", c);
                row.put("accuracy", Double.isNaN(perClass[c]) ? null : perClass[c]);
                row.put("examples", rowTotal(matrix, c));
                rows.add(row);
            }
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("accuracy", matrix.accuracy());
            result.put("examples", matrix.total());
            result.put("per_class", rows);
            result.put("classes_without_examples", missing);
            result.put("confusion", matrix.counts());
            out.println(Json.line(result));
        }
        out.flush();
        return 0;
    }

    /**
     * Takes {@code --data} from the file when it is not given, and for pictures {@code --channels}
     * and {@code --image-size} too, so that the test set is made as the training set was.
     */
    private void fillFromFile(Preprocessing input) {
        ParseResult given = spec.commandLine().getParseResult();
        if (data.data == null) {
            if (input.source() == null) {
                throw new ParameterException(spec.commandLine(), "--data is needed: " + file
                        + " does not record the data it was trained on");
            }
            data.data = input.source();
        }
        if (input.kind() == Preprocessing.Kind.IMAGES) {
            if (!given.hasMatchedOption("--channels")) {
                data.channels = input.channels();
            }
            if (!given.hasMatchedOption("--image-size") && input.height() == input.width()) {
                data.imageSize = input.height();
            }
        }
    }

    /**
     * Inverts each test picture ({@code 255 − pixel}) whose background is clearly the other polarity
     * than the training pictures', as {@code soma predict} does, and counts them. Batches hold
     * {@code pixel / 255}, so each pixel's byte is recovered exactly by rounding.
     */
    private static final class Inverter implements Transform {
        private final Preprocessing input;
        long inverted;

        Inverter(Preprocessing input) {
            this.input = input;
        }

        @Override
        public Batch apply(Batch batch) {
            float[] x = batch.inputs().toArray();
            int length = input.channels() * input.height() * input.width();
            byte[] pixels = new byte[length];
            for (int n = 0; n < batch.size(); n++) {
                for (int i = 0; i < length; i++) {
                    pixels[i] = (byte) Math.round(x[n * length + i] * 255);
                }
                if (input.background().opposedBy(pixels, input.channels(), input.height(), input.width())) {
                    inverted++;
                    for (int i = 0; i < length; i++) {
                        x[n * length + i] = (255 - Byte.toUnsignedInt(pixels[i])) / 255f;
                    }
                }
            }
            return new Batch(Tensor.of(x, batch.inputs().shape()), batch.targets());
        }
    }

    /** Targets numbered by {@code from}'s classes, renumbered by the same names in {@code to}. */
    private static Transform relabel(List<String> from, List<String> to) {
        long[] index = new long[from.size()];
        for (int c = 0; c < index.length; c++) {
            index[c] = to.indexOf(from.get(c));
        }
        return batch -> {
            long[] targets = batch.targets().toLongArray();
            for (int i = 0; i < targets.length; i++) {
                targets[i] = index[(int) targets[i]];
            }
            return new Batch(batch.inputs(), Tensor.ofLongs(targets, targets.length));
        };
    }

    private static long rowTotal(ConfusionMatrix matrix, int c) {
        long total = 0;
        for (int p = 0; p < matrix.classes(); p++) {
            total += matrix.count(c, p);
        }
        return total;
    }

    private static void printMatrix(PrintWriter out, ConfusionMatrix matrix) {
        long max = 1;
        for (long[] row : matrix.counts()) {
            for (long v : row) {
                max = Math.max(max, v);
            }
        }
        int cell = Math.max(3, Long.toString(max).length()) + 1;
        StringBuilder header = new StringBuilder("      ");
        for (int p = 0; p < matrix.classes(); p++) {
            header.append(String.format(Locale.ROOT, "%" + cell + "d", p));
        }
        out.println(header);
        for (int t = 0; t < matrix.classes(); t++) {
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "  %3d ", t));
            for (int p = 0; p < matrix.classes(); p++) {
                line.append(String.format(Locale.ROOT, "%" + cell + "d", matrix.count(t, p)));
            }
            out.println(line);
        }
    }

    private void plot(ConfusionMatrix matrix, List<String> classes) throws java.io.IOException {
        int n = matrix.classes();
        double[][] shares = new double[n][n];
        Chart chart = new Chart("Confusion matrix: accuracy " + String.format(Locale.ROOT, "%.4f", matrix.accuracy()),
                "predicted class", "true class");
        for (int t = 0; t < n; t++) {
            long total = Math.max(1, rowTotal(matrix, t));
            for (int p = 0; p < n; p++) {
                // row 0 of the heatmap is drawn at the bottom; true class 0 goes on top, as in printed matrices
                shares[n - 1 - t][p] = (double) matrix.count(t, p) / total;
                chart.marker(p, n - 1 - t, Long.toString(matrix.count(t, p)));
            }
        }
        chart.heatmap(-0.5, n - 0.5, -0.5, n - 0.5, shares).xRange(-0.5, n - 0.5).yRange(-0.5, n - 0.5);
        chart.save(plot.file);
    }
}
