package dev.soma.app;

import static dev.soma.app.CommandTesting.assertUsageError;
import static dev.soma.app.CommandTesting.assertUserError;
import static dev.soma.app.CommandTesting.brightAndDark;
import static dev.soma.app.CommandTesting.run;
import static dev.soma.app.CommandTesting.writeSquare;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.soma.io.ModelSpecJson;
import dev.soma.nn.Linear;
import dev.soma.nn.LogSoftmax;
import dev.soma.nn.ModelSpec;
import dev.soma.nn.Softmax;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs that used to finish "successfully" with garbage (NaN weights, NaN accuracy, a late failure) now stop and say why. */
class TrainGarbageTest {

    @Test
    void aDivergingRunStopsNamingTheStepAndKeepsTheGoodFile(@TempDir Path dir) throws Exception {
        Path model = dir.resolve("m.safetensors");
        CommandTesting.succeed("train", "--data", "xor", "--epochs", "1", "--save", model.toString());
        byte[] good = Files.readAllBytes(model);

        CommandTesting.Run run = run("train", "--data", "xor", "--epochs", "3", "--optimizer", "sgd", "--lr", "1e6",
                "--json", "--save", model.toString());

        assertUserError(run, "training diverged at epoch 1, step ", "learning rate");
        assertEquals(1, run.exitCode(), run::toString);
        assertArrayEquals(good, Files.readAllBytes(model), "the good model file was not replaced");
        assertFalse(run.out().contains("NaN"), run::toString);
    }

    @Test
    void noTrainingOrNoTestExamplesIsAnError(@TempDir Path dir) throws Exception {
        brightAndDark(dir, 3, 0);
        assertUserError(run("train", "--data", dir.toString(), "--test-fraction", "1"), "no training examples");
        assertUserError(run("train", "--data", dir.toString(), "--test-fraction", "0"),
                "no test examples to measure the accuracy on");
    }

    @Test
    void aSingleClassIsNotAClassifier(@TempDir Path dir) throws Exception {
        for (int i = 0; i < 4; i++) {
            writeSquare(dir.resolve("cats").resolve(i + ".png"), "png", 8, 8, i % 2 == 0, i);
        }
        assertUserError(run("train", "--data", dir.toString(), "--test-fraction", "0.5"),
                "a single class [cats]", "at least 2");
    }

    @Test
    void aSoftmaxLastLayerIsRefusedAndALogSoftmaxIsNot(@TempDir Path dir) throws Exception {
        Path softmax = Files.writeString(dir.resolve("softmax.json"), ModelSpecJson.toJson(new ModelSpec(new int[] {2},
                List.of(new Linear.Spec(2, 2), new Softmax.Spec(1)))));
        assertUserError(run("train", "--data", "xor", "--model", softmax.toString()),
                "last layer is a softmax", "remove that layer");
        Path logSoftmax = Files.writeString(dir.resolve("log.json"), ModelSpecJson.toJson(new ModelSpec(new int[] {2},
                List.of(new Linear.Spec(2, 2), new LogSoftmax.Spec(1)))));
        CommandTesting.succeed("train", "--data", "xor", "--epochs", "1", "--model", logSoftmax.toString());
    }

    @Test
    void destinationsAreCheckedBeforeTraining(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("file"), "x");
        CommandTesting.Run save = run("train", "--data", "xor", "--save", file.resolve("m.safetensors").toString());
        assertUsageError(save, "train", "--save", "is a file, not a folder");
        assertEquals("", save.out(), "nothing was trained");
        assertUsageError(run("train", "--data", "xor", "--plot", file.resolve("p.png").toString()), "train", "--plot",
                "is a file, not a folder");
        Path folder = Files.createDirectory(dir.resolve("folder.png"));
        assertUsageError(run("train", "--data", "xor", "--plot", folder.toString()), "train", "is a folder, not a file");

        Path deep = dir.resolve("new").resolve("deeper").resolve("m.safetensors");
        CommandTesting.succeed("train", "--data", "xor", "--epochs", "1", "--save", deep.toString());
        assertTrue(Files.isRegularFile(deep), "a missing folder is made");
    }

    @Test
    void jsonWritesNonFiniteNumbersAsNull() {
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("nan", Double.NaN);
        document.put("inf", Float.POSITIVE_INFINITY);
        document.put("values", new double[] {1.5, Double.NaN, Double.NEGATIVE_INFINITY});
        document.put("float", 0.5621765f);
        document.put("double", 0.1);
        assertEquals("{\"nan\":null,\"inf\":null,\"values\":[1.5,null,null],\"float\":0.5621765,\"double\":0.1}",
                Json.line(document));
    }

    @Test
    void runningOutOfMemoryIsOneLineSayingHowToGiveMore() {
        assertEquals("soma: out of memory (Java heap space) with a heap limit of 3072 MiB; allow more with"
                + " SOMA_JAVA_OPTS=-Xmx6g, or use a smaller --batch or model",
                Main.outOfMemory(new OutOfMemoryError("Java heap space"), 3072L * 1024 * 1024));
    }

    @Test
    void outputThatCannotBeWrittenIsAFailure() {
        PrintStream broken = new PrintStream(new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException("No space left on device");
            }
        }, true);
        broken.println("{\"accuracy\":1.0}");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertEquals(1, Main.checkOutput(0, broken, new PrintStream(err, true, StandardCharsets.UTF_8)));
        assertEquals("soma: could not write the output: standard output is closed or full\n",
                err.toString(StandardCharsets.UTF_8));
        assertEquals(3, Main.checkOutput(3, broken, new PrintStream(OutputStream.nullOutputStream())), "a failure's own code");
        assertEquals(0, Main.checkOutput(0, new PrintStream(OutputStream.nullOutputStream()), System.err));
    }
}
