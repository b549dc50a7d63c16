package dev.soma.app;

import static dev.soma.app.CommandTesting.assertUsageError;
import static dev.soma.app.CommandTesting.assertUserError;
import static dev.soma.app.CommandTesting.fieldNames;
import static dev.soma.app.CommandTesting.numbers;
import static dev.soma.app.CommandTesting.run;
import static dev.soma.app.CommandTesting.succeed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.soma.app.CommandTesting.Run;
import dev.soma.io.ModelFile;
import dev.soma.nn.Linear;
import dev.soma.nn.ModelSpec;
import dev.soma.nn.Models;
import dev.soma.tensor.Generator;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code soma eval} end to end, in-process, on an mlp trained here on noisy xor: imperfect on
 * purpose, so that the table and the matrix have something off the diagonal.
 */
class EvalCommandTest {

    /** The data options of training and evaluation: the same, so the test set is the same. */
    private static final List<String> DATA =
            List.of("--data", "xor", "--noise", "0.3", "--samples", "400", "--seed", "3");

    @TempDir
    static Path dir;

    static Path model;
    /** The test accuracy soma train reported after its last epoch. */
    static double trainedAccuracy;

    @BeforeAll
    static void train() throws Exception {
        model = dir.resolve("xor.safetensors");
        JsonNode json = succeed(args(List.of("train", "--epochs", "2", "--json", "--save", model.toString()))).json();
        double[] accuracy = numbers(json.get("test_accuracy"));
        trainedAccuracy = accuracy[accuracy.length - 1];
        assertTrue(trainedAccuracy > 0.6 && trainedAccuracy < 1, "noisy xor should be learnt, imperfectly: " + json);
    }

    private static String[] args(List<String> command, String... more) {
        List<String> all = new ArrayList<>(command);
        all.addAll(DATA);
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }

    @Test
    void printsTheAccuracyATableByClassAndTheConfusionMatrix() throws Exception {
        Run run = succeed(args(List.of("eval", model.toString())));
        List<String> lines = run.outLines();
        assertEquals(String.format(Locale.ROOT, "%s on the xor test set (200 examples): accuracy %.4f", model,
                trainedAccuracy), lines.get(0));
        int header = lines.indexOf("  class  accuracy  examples");
        assertTrue(header > 0, run.out());
        long[][] counts = new long[2][];
        int matrix = lines.indexOf("Confusion matrix (rows: true class, columns: predicted class):");
        assertTrue(matrix > header, run.out());
        assertEquals(List.of("0", "1"), Arrays.asList(lines.get(matrix + 1).trim().split("\\s+")));
        for (int t = 0; t < 2; t++) {
            String[] cells = lines.get(matrix + 2 + t).trim().split("\\s+");
            assertEquals(Integer.toString(t), cells[0], run.out());
            counts[t] = new long[] {Long.parseLong(cells[1]), Long.parseLong(cells[2])};
        }
        assertEquals(200, counts[0][0] + counts[0][1] + counts[1][0] + counts[1][1], run.out());
        assertEquals(trainedAccuracy, (counts[0][0] + counts[1][1]) / 200.0, 1e-12, run.out());
        for (int c = 0; c < 2; c++) {
            String row = lines.get(header + 1 + c);
            assertEquals(lines.get(header).length(), row.length(), "the columns line up:\n" + run.out());
            long examples = counts[c][0] + counts[c][1];
            double accuracy = (double) counts[c][c] / examples;
            assertEquals(String.format(Locale.ROOT, "  %-5s  %8.4f  %8d", c, accuracy, examples), row);
        }
    }

    @Test
    void jsonHoldsTheSameNumbersAndTheyAddUp() throws Exception {
        JsonNode json = succeed(args(List.of("eval", model.toString(), "--json"))).json();
        assertEquals(List.of("accuracy", "examples", "per_class", "classes_without_examples", "confusion"), fieldNames(json));
        assertEquals(0, json.get("classes_without_examples").size());
        double accuracy = json.get("accuracy").doubleValue();
        long examples = json.get("examples").longValue();
        assertEquals(trainedAccuracy, accuracy, 1e-12, "the saved weights are the trained ones");
        assertEquals(200, examples);

        JsonNode confusion = json.get("confusion");
        assertEquals(2, confusion.size());
        long sum = 0;
        long diagonal = 0;
        for (int t = 0; t < 2; t++) {
            double[] row = numbers(confusion.get(t));
            assertEquals(2, row.length);
            sum += (long) (row[0] + row[1]);
            diagonal += (long) row[t];
        }
        assertEquals(examples, sum);
        assertEquals(accuracy, (double) diagonal / examples, 1e-12);
        assertTrue(diagonal < examples, "imperfect on purpose: " + json);

        JsonNode perClass = json.get("per_class");
        assertEquals(2, perClass.size());
        for (int c = 0; c < 2; c++) {
            JsonNode entry = perClass.get(c);
            assertEquals(List.of("class", "index", "accuracy", "examples"), fieldNames(entry));
            assertEquals(Integer.toString(c), entry.get("class").textValue());
            assertEquals(c, entry.get("index").intValue());
            double[] row = numbers(confusion.get(c));
            assertEquals((long) (row[0] + row[1]), entry.get("examples").longValue());
            assertEquals(row[c] / (row[0] + row[1]), entry.get("accuracy").doubleValue(), 1e-12);
        }
    }

    @Test
    void plotWritesThePictureOfTheMatrix() throws Exception {
        Path png = dir.resolve("confusion.png");
        Run run = succeed(args(List.of("eval", model.toString(), "--plot", png.toString())));
        assertTrue(run.out().contains("Saved the confusion matrix to " + png), run.out());
        BufferedImage picture = ImageIO.read(png.toFile());
        assertTrue(picture.getWidth() > 100 && picture.getHeight() > 100);
    }

    @Test
    void aPlotThatIsNotPngIsAUsageError() {
        assertUsageError(run(args(List.of("eval", model.toString(), "--plot", dir.resolve("c.svg").toString()))),
                "eval", "--plot", "c.svg");
    }

    @Test
    void aCnnOnPointsIsAShapeError() throws Exception {
        ModelSpec cnn = Models.named("cnn", new int[] {1, 16, 16}, 2);
        Path file = dir.resolve("cnn.safetensors");
        ModelFile.save(file, cnn.build(new Generator(0)), cnn, List.of("bright", "dark"), Map.of());
        Run run = run(args(List.of("eval", file.toString())));
        assertUserError(run, file.toString(), "[1, 16, 16]", "[2]");
        assertEquals(1, run.exitCode());
    }

    @Test
    void aModelWithOtherClassesIsRefused() throws Exception {
        ModelSpec three = new ModelSpec(new int[] {2}, List.of(new Linear.Spec(2, 3)));
        Path file = dir.resolve("three.safetensors");
        ModelFile.save(file, three.build(new Generator(0)), three, List.of("a", "b", "c"), Map.of());
        assertUserError(run(args(List.of("eval", file.toString()))), file.toString(), "3 outputs", "2 classes");
    }

    @Test
    void randomBytesAreOneClearLine() throws Exception {
        Path file = dir.resolve("random.safetensors");
        byte[] bytes = new byte[4096];
        new Random(1).nextBytes(bytes);
        Files.write(file, bytes);
        Run run = run(args(List.of("eval", file.toString())));
        assertUserError(run, file.toString(), "header length");
        assertEquals(1, run.exitCode());
    }

    @Test
    void aTruncatedModelIsOneClearLine() throws Exception {
        Path file = dir.resolve("truncated.safetensors");
        byte[] whole = Files.readAllBytes(model);
        Files.write(file, Arrays.copyOf(whole, whole.length / 2));
        Run run = run(args(List.of("eval", file.toString())));
        assertUserError(run, file.toString());
        assertEquals(1, run.exitCode());
    }

    @Test
    void aMissingModelIsNamed() {
        Path missing = dir.resolve("missing.safetensors");
        assertUserError(run(args(List.of("eval", missing.toString()))), "no such file", missing.toString());
    }
}
