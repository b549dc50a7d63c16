package dev.soma.app;

import static dev.soma.app.CommandTesting.assertUsageError;
import static dev.soma.app.CommandTesting.assertUserError;
import static dev.soma.app.CommandTesting.brightAndDark;
import static dev.soma.app.CommandTesting.brightAndDarkSplit;
import static dev.soma.app.CommandTesting.fieldNames;
import static dev.soma.app.CommandTesting.numbers;
import static dev.soma.app.CommandTesting.run;
import static dev.soma.app.CommandTesting.succeed;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.soma.app.CommandTesting.Run;
import dev.soma.data.IdxArray;
import dev.soma.data.IdxWriter;
import dev.soma.io.ModelSpecJson;
import dev.soma.nn.Linear;
import dev.soma.nn.ModelSpec;
import dev.soma.nn.ReLU;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code soma train} end to end, in-process: the JSON line, the files, the data sources and the mistakes. */
class TrainCommandTest {

    /** The mlp's parameters on 2-D points with 2 classes: 2 → 256 → 128 → 2, weights and biases. */
    private static final long MLP_ON_POINTS = (2 * 256 + 256) + (256 * 128 + 128) + (128 * 2 + 2);
    /** The mlp on 16 × 16 grayscale pictures with 2 classes: 256 → 256 → 128 → 2. */
    private static final long MLP_ON_16X16 = (256 * 256 + 256) + (256 * 128 + 128) + (128 * 2 + 2);
    /**
     * The cnn on 1 × 16 × 16 with 2 classes: conv 1 → 16 (3 × 3), conv 16 → 32 (3 × 3), linear
     * 32·4·4 → 128, linear 128 → 2.
     */
    private static final long CNN_ON_16X16 =
            (16 * 9 + 16) + (32 * 16 * 9 + 32) + (32 * 4 * 4 * 128 + 128) + (128 * 2 + 2);

    @Test
    void xorWithJsonSavePlotPrintsTheResultsAsTheLastLine(@TempDir Path dir) throws Exception {
        Path model = dir.resolve("m.safetensors");
        Path plot = dir.resolve("c.png");
        Run run = succeed("train", "--data", "xor", "--epochs", "2", "--json", "--save", model.toString(),
                "--plot", plot.toString(), "--seed", "0");
        JsonNode json = run.json();
        assertEquals(List.of("epochs", "epoch_seconds", "train_loss", "test_accuracy", "parameters", "peak_rss_mib"),
                fieldNames(json));
        assertEquals(2, json.get("epochs").intValue());
        assertEquals(33_922, MLP_ON_POINTS);
        assertEquals(MLP_ON_POINTS, json.get("parameters").longValue());
        for (String field : List.of("epoch_seconds", "train_loss", "test_accuracy")) {
            double[] values = numbers(json.get(field));
            assertEquals(2, values.length, field);
            for (double v : values) {
                assertTrue(Double.isFinite(v) && v >= 0, field + ": " + json);
            }
        }
        for (double accuracy : numbers(json.get("test_accuracy"))) {
            assertTrue(accuracy <= 1, json.toString());
        }
        assertTrue(numbers(json.get("epoch_seconds"))[1] > 0, json.toString());
        assertTrue(json.get("peak_rss_mib").isNumber() && json.get("peak_rss_mib").doubleValue() > 0, json.toString());

        assertTrue(Files.size(model) > 4 * MLP_ON_POINTS, "the model file holds every weight as F32");
        BufferedImage picture = ImageIO.read(plot.toFile());
        assertTrue(picture.getWidth() > 100 && picture.getHeight() > 100);
        assertTrue(run.out().contains("Saved the model to " + model), run.out());
        assertTrue(run.out().contains("Saved the curves to " + plot), run.out());
    }

    @Test
    void theSameSeedGivesTheSameLossesAndAnotherSeedOthers() throws Exception {
        String[] args = {"train", "--data", "circle", "--samples", "200", "--epochs", "2", "--json", "--seed", "7"};
        double[] first = numbers(succeed(args).json().get("train_loss"));
        double[] second = numbers(succeed(args).json().get("train_loss"));
        assertArrayEquals(first, second);
        args[args.length - 1] = "8";
        double[] other = numbers(succeed(args).json().get("train_loss"));
        assertFalse(Arrays.equals(first, other), "seeds 7 and 8 gave the same losses " + Arrays.toString(first));
    }

    @ParameterizedTest
    @ValueSource(strings = {"moons", "circle", "spiral"})
    void theLossDecreasesOnToySets(String set) throws Exception {
        JsonNode json = succeed("train", "--data", set, "--samples", "800", "--batch", "16", "--epochs", "4",
                "--json").json();
        double[] loss = numbers(json.get("train_loss"));
        assertEquals(4, loss.length);
        for (int i = 1; i < loss.length; i++) {
            assertTrue(loss[i] < loss[i - 1], set + ": " + Arrays.toString(loss));
        }
        // the spiral is the slowest: 0.671 to 0.624 with seed 0, a ratio of 0.92 to 0.94 for seeds 0 to 4
        assertTrue(loss[3] < 0.95 * loss[0], set + ": " + Arrays.toString(loss));
    }

    // SGD with momentum (lr 0.05): the mlp learns these pictures from epoch 1 with any seed tried (0 to
    // 5), while Adam at lr 0.001 takes 2 to 5 epochs and may swing back for an epoch, since the dark
    // pictures are near 0 and the boundary must come from the biases (a NumPy replica does the same).
    @ParameterizedTest
    @CsvSource({"cnn, " + CNN_ON_16X16, "mlp, " + MLP_ON_16X16})
    void aFolderWithTrainAndTestSubfoldersIsLearnt(String model, long parameters, @TempDir Path dir) throws Exception {
        brightAndDarkSplit(dir);
        Run run = succeed("train", "--data", dir.toString(), "--model", model, "--image-size", "16", "--batch", "4",
                "--optimizer", "sgd", "--epochs", "3", "--json");
        assertTrue(run.out().contains("80 training and 20 test examples, 2 classes"), run.out());
        JsonNode json = run.json();
        assertEquals(parameters, json.get("parameters").longValue());
        double[] accuracy = numbers(json.get("test_accuracy"));
        assertEquals(1.0, accuracy[accuracy.length - 1], json.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"cnn", "mlp"})
    void aFolderWithoutSubfoldersIsSplitAtRandomAndLearnt(String model, @TempDir Path dir) throws Exception {
        brightAndDark(dir, 50, 0);
        Run run = succeed("train", "--data", dir.toString(), "--model", model, "--image-size", "16", "--batch", "4",
                "--optimizer", "sgd", "--epochs", "3", "--json");
        assertTrue(run.out().contains("80 training and 20 test examples, 2 classes"), run.out());
        double[] accuracy = numbers(run.json().get("test_accuracy"));
        assertEquals(1.0, accuracy[accuracy.length - 1], run.json().toString());
    }

    @Test
    void idxFilesInADataDirAreRead(@TempDir Path dir) throws Exception {
        writeIdxFolder(dir, 20, 10);
        Run run = succeed("train", "--data", "mnist", "--data-dir", dir.toString(), "--epochs", "1", "--json");
        assertTrue(run.out().contains("20 training and 10 test examples, 10 classes"), run.out());
        assertEquals((784 * 256 + 256) + (256 * 128 + 128) + (128 * 10 + 10), run.json().get("parameters").longValue());
    }

    @Test
    void aModelSpecFileIsTrained(@TempDir Path dir) throws Exception {
        Path spec = writeSpec(dir.resolve("small.json"), 2, 8, 2);
        JsonNode json = succeed("train", "--data", "xor", "--samples", "100", "--model", spec.toString(),
                "--epochs", "1", "--json").json();
        assertEquals((2 * 8 + 8) + (8 * 2 + 2), json.get("parameters").longValue());
    }

    @Test
    void aModelSpecFileForOtherDataIsRejectedWithTheShapes(@TempDir Path dir) throws Exception {
        Path wrongInput = writeSpec(dir.resolve("three.json"), 3, 8, 2);
        assertUserError(run("train", "--data", "xor", "--model", wrongInput.toString()),
                wrongInput.toString(), "[3]", "[2]");
        Path wrongOutputs = writeSpec(dir.resolve("classes.json"), 2, 8, 5);
        assertUserError(run("train", "--data", "xor", "--model", wrongOutputs.toString()),
                wrongOutputs.toString(), "5 outputs", "2 classes");
    }

    // ---------------------------------------------------------------- mistakes

    @Test
    void anUnknownDatasetIsNamed() {
        Run run = run("train", "--data", "cifar");
        assertUserError(run, "'cifar'", "fashion-mnist", "xor");
        assertEquals(1, run.exitCode());
    }

    @Test
    void aDataDirWithoutIdxFilesNamesTheFolderAndTheFile(@TempDir Path empty) {
        assertUserError(run("train", "--data", "fashion-mnist", "--data-dir", empty.toString()),
                empty.toString(), "train-images-idx3-ubyte");
    }

    @Test
    void aDataDirWithAToySetIsRefused(@TempDir Path dir) {
        assertUserError(run("train", "--data", "xor", "--data-dir", dir.toString()), "--data-dir", "'xor'");
    }

    @Test
    void aTruncatedIdxFileIsNamedWithTheOffset(@TempDir Path dir) throws Exception {
        writeIdxFolder(dir, 20, 10);
        Path images = dir.resolve("t10k-images-idx3-ubyte");
        byte[] whole = Files.readAllBytes(images);
        Files.write(images, Arrays.copyOf(whole, 100));
        assertUserError(run("train", "--data", "mnist", "--data-dir", dir.toString()),
                images.toString(), "byte 100", "ends");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "--epochs|0",
        "--epochs|two",
        "--batch|0",
        "--batch|-8",
        "--batch|1.5",
        "--lr|0",
        "--lr|-0.1",
        "--lr|NaN",
        "--lr|Infinity",
        "--lr|fast",
        "--seed|x",
        "--seed|1e3",
        "--optimizer|rmsprop",
        "--save|m.pt",
        "--save|m.safetensors.txt",
        "--plot|c.jpg",
    })
    void badOptionValuesAreUsageErrors(String option, String value) {
        assertUsageError(run("train", "--data", "xor", option, value), "train", option, value);
    }

    @Test
    void twoChannelsAreRefused(@TempDir Path dir) throws Exception {
        brightAndDark(dir, 2, 0);
        assertUserError(run("train", "--data", dir.toString(), "--channels", "2"), "--channels", "2");
    }

    @Test
    void aMissingOrBrokenSpecFileIsNamed(@TempDir Path dir) throws Exception {
        Path missing = dir.resolve("missing.json");
        assertUserError(run("train", "--data", "xor", "--model", missing.toString()),
                "no such file", missing.toString());
        Path broken = Files.writeString(dir.resolve("broken.json"), "{\"format\": \"soma-model/1\", \"input\": [2");
        assertUserError(run("train", "--data", "xor", "--model", broken.toString()), broken.toString(), "JSON");
    }

    @Test
    void anUnknownModelIsNamedWithTheChoices() {
        assertUserError(run("train", "--data", "xor", "--model", "transformer"), "'transformer'", "mlp", "cnn");
    }

    @Test
    void debugShowsTheStackTrace() {
        Run run = run("--debug", "train", "--data", "cifar");
        assertEquals(1, run.exitCode());
        assertTrue(run.err().startsWith("java.lang.IllegalArgumentException: --data: 'cifar'"), run.err());
        assertTrue(run.err().contains("\tat dev.soma.app."), run.err());
    }

    // ---------------------------------------------------------------- files

    /** A spec file: linear {@code in → hidden}, relu, linear {@code hidden → out}. */
    static Path writeSpec(Path file, int in, int hidden, int out) throws IOException {
        ModelSpec spec = new ModelSpec(new int[] {in}, List.of(new Linear.Spec(in, hidden),
                ReLU.SPEC, new Linear.Spec(hidden, out)));
        return Files.writeString(file, ModelSpecJson.toJson(spec));
    }

    /** The four MNIST files, 28 × 28 noise labelled 0..9 in turn; the training files gzipped. */
    private static void writeIdxFolder(Path dir, int train, int test) throws IOException {
        writeSplit(dir, "train", train, ".gz");
        writeSplit(dir, "t10k", test, "");
    }

    private static void writeSplit(Path dir, String prefix, int n, String suffix) throws IOException {
        byte[] pixels = new byte[n * 28 * 28];
        new Random(n).nextBytes(pixels);
        byte[] labels = new byte[n];
        for (int i = 0; i < n; i++) {
            labels[i] = (byte) (i % 10);
        }
        IdxWriter.write(dir.resolve(prefix + "-images-idx3-ubyte" + suffix), IdxArray.ofBytes(pixels, n, 28, 28));
        IdxWriter.write(dir.resolve(prefix + "-labels-idx1-ubyte" + suffix), IdxArray.ofBytes(labels, n));
    }
}
