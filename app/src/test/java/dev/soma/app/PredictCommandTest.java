package dev.soma.app;

import static dev.soma.app.CommandTesting.assertUsageError;
import static dev.soma.app.CommandTesting.assertUserError;
import static dev.soma.app.CommandTesting.brightAndDarkSplit;
import static dev.soma.app.CommandTesting.fieldNames;
import static dev.soma.app.CommandTesting.numbers;
import static dev.soma.app.CommandTesting.run;
import static dev.soma.app.CommandTesting.succeed;
import static dev.soma.app.CommandTesting.writeSquare;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.soma.app.CommandTesting.Run;
import dev.soma.io.ModelFile;
import dev.soma.nn.ModelSpec;
import dev.soma.nn.Models;
import dev.soma.tensor.Generator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code soma predict} end to end, in-process: a cnn trained here on 16 × 16 grayscale squares
 * classifies new 40 × 30 RGB pictures in each format ImageIO reads.
 */
class PredictCommandTest {

    private static final List<String> FORMATS = List.of("png", "jpg", "bmp", "gif");

    @TempDir
    static Path dir;

    static Path model;
    /** The new pictures, bright then dark in each format, and the class each should get. */
    static final List<Path> pictures = new ArrayList<>();
    static final List<String> expected = new ArrayList<>();

    @BeforeAll
    static void trainAndDraw() throws Exception {
        model = dir.resolve("cnn.safetensors");
        JsonNode json = succeed("train", "--data", brightAndDarkSplit(dir.resolve("data")).toString(), "--model", "cnn",
                "--image-size", "16", "--batch", "4", "--epochs", "2", "--json", "--save", model.toString()).json();
        double[] accuracy = numbers(json.get("test_accuracy"));
        assertEquals(1.0, accuracy[accuracy.length - 1], json.toString());
        long seed = 5_000;
        for (String format : FORMATS) {
            for (boolean bright : new boolean[] {true, false}) {
                String name = (bright ? "bright" : "dark") + "." + format;
                pictures.add(writeSquare(dir.resolve("new/" + name), format, 40, 30, bright, seed++));
                expected.add(bright ? "bright" : "dark");
            }
        }
    }

    private static String[] predict(List<Path> images, String... options) {
        List<String> args = new ArrayList<>(List.of("predict", model.toString()));
        images.forEach(p -> args.add(p.toString()));
        args.addAll(List.of(options));
        return args.toArray(String[]::new);
    }

    @Test
    void eachPictureGetsItsClassFirstAndTheProbabilitiesOfAllClassesSumTo1() throws Exception {
        JsonNode json = succeed(predict(pictures, "--top", "50", "--json")).json();
        assertEquals(List.of("predictions"), fieldNames(json));
        JsonNode predictions = json.get("predictions");
        assertEquals(pictures.size(), predictions.size());
        for (int i = 0; i < pictures.size(); i++) {
            JsonNode prediction = predictions.get(i);
            assertEquals(List.of("file", "top"), fieldNames(prediction));
            assertEquals(pictures.get(i).toString(), prediction.get("file").textValue());
            JsonNode top = prediction.get("top");
            assertEquals(2, top.size(), "every class, since --top exceeds them: " + prediction);
            double sum = 0;
            double previous = Double.POSITIVE_INFINITY;
            for (JsonNode entry : top) {
                assertEquals(List.of("class", "index", "probability"), fieldNames(entry));
                String name = entry.get("class").textValue();
                assertEquals(name.equals("bright") ? 0 : 1, entry.get("index").intValue(), entry.toString());
                double p = entry.get("probability").doubleValue();
                assertTrue(p >= 0 && p <= 1 && p <= previous, prediction.toString());
                previous = p;
                sum += p;
            }
            assertEquals(1.0, sum, 1e-5, prediction.toString());
            assertEquals(expected.get(i), top.get(0).get("class").textValue(), prediction.toString());
            assertTrue(top.get(0).get("probability").doubleValue() > 0.5, prediction.toString());
        }
    }

    @Test
    void eachPictureGetsOneLineWithItsTopClasses() {
        Run run = succeed(predict(pictures, "--top", "1"));
        List<String> lines = run.outLines();
        assertEquals(pictures.size(), lines.size(), run.out());
        for (int i = 0; i < pictures.size(); i++) {
            String line = lines.get(i);
            assertTrue(line.matches("\\Q" + pictures.get(i) + ": " + expected.get(i) + " \\E0\\.\\d{4}"), line);
        }
        Run both = succeed(predict(pictures.subList(0, 1)));
        assertTrue(both.out().matches("\\Q" + pictures.get(0) + ": bright \\E0\\.\\d{4}, dark 0\\.\\d{4}\\R"),
                both.out());
    }

    @Test
    void aFileThatIsNotAPictureIsNamedAndTheOthersAreStillClassified() throws Exception {
        Path text = Files.writeString(dir.resolve("notes.txt"), "not a picture\n");
        Path missing = dir.resolve("missing.png");
        Run run = run(predict(List.of(pictures.get(0), text, missing, pictures.get(1)), "--json"));
        assertEquals(1, run.exitCode(), run::toString);
        List<String> err = run.errLines();
        assertEquals(3, err.size(), run::toString);
        assertTrue(err.get(0).startsWith("soma: " + text) && err.get(0).contains("cannot decode"), run::toString);
        assertTrue(err.get(1).startsWith("soma: ") && err.get(1).contains("no such file")
                && err.get(1).contains(missing.toString()), run::toString);
        assertEquals("soma: 2 of 4 pictures could not be classified", err.get(2));
        assertFalse(run.err().contains("\tat "), run::toString);
        assertTrue(run.outLines().get(0).startsWith(pictures.get(0) + ": " + expected.get(0)), run::toString);
        assertTrue(run.outLines().get(1).startsWith(pictures.get(1) + ": " + expected.get(1)), run::toString);
        JsonNode predictions = run.json().get("predictions");
        assertEquals(4, predictions.size());
        assertEquals(text.toString(), predictions.get(1).get("file").asText());
        assertTrue(predictions.get(1).get("error").asText().contains("cannot decode"), run::toString);
        assertEquals(expected.get(1), predictions.get(3).get("top").get(0).get("class").asText());

        Path fake = Files.writeString(dir.resolve("fake.png"), "not a picture either\n");
        Run alone = run(predict(List.of(fake)));
        assertEquals(1, alone.exitCode(), alone::toString);
        assertTrue(alone.errLines().getFirst().startsWith("soma: " + fake), alone::toString);
        assertEquals("soma: 1 of 1 picture could not be classified", alone.errLines().getLast());
    }

    @Test
    void aModelOfPointsCannotClassifyPictures() throws Exception {
        ModelSpec points = Models.named("mlp", new int[] {2}, 2);
        Path file = dir.resolve("points.safetensors");
        ModelFile.save(file, points.build(new Generator(0)), points, List.of("0", "1"), Map.of());
        Run run = run("predict", file.toString(), pictures.get(0).toString());
        assertUserError(run, file.toString(), "[2]", "not images");
        assertEquals(1, run.exitCode());
    }

    @Test
    void withoutAPictureItIsAUsageError() {
        assertUsageError(run("predict", model.toString()), "predict", "IMAGE");
    }

    @Test
    void topBelow1IsAUsageError() {
        assertUsageError(run(predict(pictures.subList(0, 1), "--top", "0")), "predict", "--top");
    }
}
