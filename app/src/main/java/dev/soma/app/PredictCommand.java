package dev.soma.app;

import dev.soma.data.Background;
import dev.soma.data.Images;
import dev.soma.io.ModelFile;
import dev.soma.io.Preprocessing;
import dev.soma.tensor.NoGrad;
import dev.soma.tensor.Shape;
import dev.soma.tensor.Tensor;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
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
import picocli.CommandLine.Spec;

/**
 * {@code soma predict}: a saved model's reading of each picture (its top classes) or of each 2-D
 * point (class probabilities, or the value of a regression), made as training made its inputs.
 */
@Command(
        name = "predict",
        mixinStandardHelpOptions = true,
        description = {
            "Classify pictures, or points (x1, x2), with a saved model.",
            "Pictures are resized and normalised as the training data was, and inverted",
            "when their background is clearly the other polarity (--no-invert keeps it).",
            "Example: soma predict cnn.safetensors shoe.png shirt.jpg",
            "         soma predict xor.safetensors --input 0.5,-0.5"})
public final class PredictCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE.safetensors", description = "A model saved by soma train.")
    Path file;

    @Parameters(index = "1..*", arity = "0..*", paramLabel = "IMAGE", description = "PNG, JPEG, GIF or BMP files.")
    List<Path> images = new ArrayList<>();

    @Option(names = "--input", paramLabel = "X1,X2", description = "Point models: one point, two numbers.")
    String point;

    @Option(names = "--points", paramLabel = "FILE|-",
            description = "Point models: lines x1,x2 of a CSV file, or of standard input for -;"
                    + " a third column (a label) is ignored.")
    String pointsFile;

    @Mixin
    Options.Invert invert;

    @Option(names = "--top", paramLabel = "K", defaultValue = "3", description = "Classes to show per image (default: ${DEFAULT-VALUE}).")
    int top;

    @Mixin
    Options.Json json;

    @Override
    public Integer call() throws Exception {
        if (top < 1) {
            throw new ParameterException(spec.commandLine(), "--top must be ≥ 1, got " + top);
        }
        boolean points = point != null || pointsFile != null;
        if (points == !images.isEmpty()) {
            throw new ParameterException(spec.commandLine(), points
                    ? "give pictures (IMAGE) or points (--input, --points), not both"
                    : "give IMAGE files to classify, or --input X1,X2 or --points FILE for a model of points");
        }
        ModelFile saved = ModelFile.load(file);
        return points ? new PointReadings(spec, saved, file, top, json.enabled).run(point, pointsFile) : pictures(saved);
    }

    private int pictures(ModelFile saved) {
        PrintWriter out = spec.commandLine().getOut();
        Preprocessing input = saved.input();
        if (input.kind() != Preprocessing.Kind.IMAGES) {
            throw new IllegalArgumentException(file + " takes inputs of shape " + Shape.format(saved.spec().input())
                    + ", not images [channels, height, width]; it cannot classify pictures"
                    + (input.kind() == Preprocessing.Kind.POINTS ? " (give --input X1,X2 or --points FILE)" : ""));
        }
        List<String> classes = saved.classNames();
        int outputs = saved.spec().numClasses();
        List<Map<String, Object>> predictions = new ArrayList<>();
        PrintWriter err = spec.commandLine().getErr();
        int failed = 0;
        for (Path image : images) {
            // A bad picture is reported on its own line and the others are still classified.
            byte[] pixels;
            try {
                if (!Files.exists(image)) {
                    throw new NoSuchFileException(image.toString()); // ImageIO would say "Can't read input file!"
                }
                pixels = Images.read(image, input.channels(), input.height(), input.width(), null);
            } catch (IOException | IllegalArgumentException e) {
                String message = Errors.describe(e);
                err.println("soma: " + (message.contains(image.toString()) ? message : image + ": " + message));
                err.flush();
                Map<String, Object> error = new LinkedHashMap<>();
                error.put("file", image.toString());
                error.put("error", message);
                predictions.add(error);
                failed++;
                continue;
            }
            boolean inverted = shouldInvert(pixels, input);
            if (inverted) {
                pixels = Background.invert(pixels);
                err.println("soma: " + image + " has a " + input.background().opposite().id() + " background; the model"
                        + " was trained on " + input.background().id() + " backgrounds, so it was inverted"
                        + " (use --no-invert to keep it)");
                err.flush();
            }
            float[] probabilities;
            try (NoGrad scope = NoGrad.enter()) {
                probabilities = saved.model().forward(input.image(pixels).unsqueeze(0)).softmax(-1).toArray();
            }
            List<Map<String, Object>> best = PointReadings.top(probabilities, outputs, classes, top);
            out.println(image + ":" + PointReadings.describe(best));
            Map<String, Object> prediction = new LinkedHashMap<>();
            prediction.put("file", image.toString());
            prediction.put("top", best);
            if (inverted) {
                prediction.put("inverted", true);
            }
            predictions.add(prediction);
        }
        if (json.enabled) {
            out.println(Json.line(Map.of("predictions", predictions))); // a bad picture's entry: file and error
        }
        out.flush();
        if (failed > 0) {
            err.println("soma: " + failed + " of " + images.size() + (images.size() == 1 ? " picture" : " pictures")
                    + " could not be classified");
            err.flush();
            return 1;
        }
        return 0;
    }

    /**
     * Whether a picture is inverted before the model sees it: when the training pictures had one
     * background and this picture's is clearly the other ({@link Background}'s 90 % rule); never for
     * a mixed picture, a model trained on mixed backgrounds, or with {@code --no-invert}.
     */
    private boolean shouldInvert(byte[] pixels, Preprocessing input) {
        return invert.enabled() && input.background().opposedBy(pixels, input.channels(), input.height(), input.width());
    }

    /** Formats a probability or value as the lines print it. */
    static String format(float value) {
        return String.format(Locale.ROOT, "%.4f", value);
    }
}
