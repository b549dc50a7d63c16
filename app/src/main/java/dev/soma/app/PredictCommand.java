package dev.soma.app;

import dev.soma.data.Images;
import dev.soma.io.ModelFile;
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

/** {@code soma predict}: a saved image classifier's top classes for each picture. */
@Command(
        name = "predict",
        mixinStandardHelpOptions = true,
        description = {
            "Classify pictures with a saved model.",
            "Each picture is resized and converted to what the model takes.",
            "Example: soma predict cnn.safetensors shoe.png shirt.jpg"})
public final class PredictCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE.safetensors", description = "A model saved by soma train.")
    Path file;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "IMAGE", description = "PNG, JPEG, GIF or BMP files.")
    List<Path> images;

    @Option(names = "--top", paramLabel = "K", defaultValue = "3", description = "Classes to show per image (default: ${DEFAULT-VALUE}).")
    int top;

    @Mixin
    Options.Json json;

    @Override
    public Integer call() throws Exception {
        if (top < 1) {
            throw new ParameterException(spec.commandLine(), "--top must be ≥ 1, got " + top);
        }
        PrintWriter out = spec.commandLine().getOut();
        ModelFile saved = ModelFile.load(file);
        int[] input = saved.spec().input();
        if (input.length != 3) {
            throw new IllegalArgumentException(file + " takes inputs of shape " + Shape.format(input)
                    + ", not images [channels, height, width]; it cannot classify pictures");
        }
        List<String> classes = saved.classNames();
        int outputs = saved.spec().numClasses();
        List<Map<String, Object>> predictions = new ArrayList<>();
        PrintWriter err = spec.commandLine().getErr();
        int failed = 0;
        for (Path image : images) {
            // A bad picture is reported on its own line and the others are still classified.
            Tensor x;
            try {
                if (!Files.exists(image)) {
                    throw new NoSuchFileException(image.toString()); // ImageIO would say "Can't read input file!"
                }
                x = Images.load(image, input[0], input[1], input[2]).unsqueeze(0);
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
            float[] probabilities;
            try (NoGrad scope = NoGrad.enter()) {
                probabilities = saved.model().forward(x).softmax(-1).toArray();
            }
            Integer[] order = new Integer[outputs];
            for (int i = 0; i < outputs; i++) {
                order[i] = i;
            }
            java.util.Arrays.sort(order, (a, b) -> Float.compare(probabilities[b], probabilities[a]));
            List<Map<String, Object>> best = new ArrayList<>();
            StringBuilder line = new StringBuilder(image.toString()).append(':');
            for (int k = 0; k < Math.min(top, outputs); k++) {
                int index = order[k];
                String name = index < classes.size() ? classes.get(index) : Integer.toString(index);
                line.append(String.format(Locale.ROOT, "%s %s %.4f", k == 0 ? "" : ",", name, probabilities[index]));
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("class", name);
                entry.put("index", index);
                entry.put("probability", probabilities[index]);
                best.add(entry);
            }
            out.println(line);
            Map<String, Object> prediction = new LinkedHashMap<>();
            prediction.put("file", image.toString());
            prediction.put("top", best);
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
}
