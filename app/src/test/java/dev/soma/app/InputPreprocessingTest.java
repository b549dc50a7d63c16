package dev.soma.app;

import static dev.soma.app.CommandTesting.assertUsageError;
import static dev.soma.app.CommandTesting.assertUserError;
import static dev.soma.app.CommandTesting.fieldNames;
import static dev.soma.app.CommandTesting.run;
import static dev.soma.app.CommandTesting.succeed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.soma.app.CommandTesting.Run;
import dev.soma.data.Background;
import dev.soma.io.ModelFile;
import dev.soma.io.Preprocessing;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model file's recorded preprocessing at work: an mlp trained here on 12 × 12 light blobs on dark
 * backgrounds (as Fashion-MNIST draws its objects), three classes by where the blob is; predict
 * inverts a light-background picture and says so, eval finds its data, size and classes in the file.
 */
class InputPreprocessingTest {

    private static final int SIZE = 12;
    /** Where each class's blob sits: top left, bottom right, centre. */
    private static final int[][] CENTRES = {{3, 3}, {8, 8}, {6, 6}};
    private static final List<String> CLASSES = List.of("a", "b", "c");

    @TempDir
    static Path dir;

    static Path data;
    static Path model;

    @BeforeAll
    static void train() throws Exception {
        data = dir.resolve("blobs");
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < 16; i++) {
                write(data.resolve("train/" + CLASSES.get(c) + "/" + i + ".png"), blob(c, 100 * c + i));
                if (i < 4) {
                    write(data.resolve("test/" + CLASSES.get(c) + "/" + i + ".png"), blob(c, 5_000 + 100 * c + i));
                }
            }
        }
        model = dir.resolve("blobs.safetensors");
        succeed("train", "--data", data.toString(), "--image-size", "12", "--epochs", "4", "--batch", "8",
                "--save", model.toString());
    }

    /** A gray 12 × 12 picture: noise 0..30, a blob 200..255 of radius 2 around class {@code c}'s centre. */
    static byte[] blob(int c, long seed) {
        Random random = new Random(seed);
        byte[] pixels = new byte[SIZE * SIZE];
        for (int y = 0; y < SIZE; y++) {
            for (int x = 0; x < SIZE; x++) {
                int dx = x - CENTRES[c][0];
                int dy = y - CENTRES[c][1];
                pixels[y * SIZE + x] = (byte) (dx * dx + dy * dy <= 4 ? 200 + random.nextInt(56) : random.nextInt(31));
            }
        }
        return pixels;
    }

    static Path write(Path file, byte[] pixels) throws IOException {
        Files.createDirectories(file.getParent());
        BufferedImage image = new BufferedImage(SIZE, SIZE, BufferedImage.TYPE_BYTE_GRAY);
        image.getRaster().setDataElements(0, 0, SIZE, SIZE, pixels);
        ImageIO.write(image, "png", file.toFile());
        return file;
    }

    @Test
    void theFileRecordsTheTrainingPicturesAndInfoShowsThem() throws Exception {
        Preprocessing input = ModelFile.load(model).input();
        assertEquals(Preprocessing.images(data.toString(), 1, 12, 12, Background.DARK), input);
        Run info = succeed("info", model.toString());
        assertTrue(info.outLines().contains("Input: pictures 1 × 12 × 12 (grayscale), pixel / 255, dark background,"
                + " trained on " + data), info.out());
        assertFalse(info.out().contains("  soma.input:"), "shown once, as the Input line:\n" + info.out());
    }

    @Test
    void aLightBackgroundPictureIsInvertedWithOneLineSayingSo() throws Exception {
        byte[] dark = blob(1, 9_999);
        Path original = write(dir.resolve("new/dark.png"), dark);
        Path light = write(dir.resolve("new/light.png"), Background.invert(dark));
        assertEquals(Background.LIGHT, Background.of(Background.invert(dark), 1, SIZE, SIZE));

        Run plain = succeed("predict", model.toString(), original.toString(), "--top", "3");
        Run inverted = run("predict", model.toString(), light.toString(), "--top", "3");
        assertEquals(0, inverted.exitCode(), inverted::toString);
        assertEquals(List.of("soma: " + light + " has a light background; the model was trained on dark backgrounds,"
                + " so it was inverted (use --no-invert to keep it)"), inverted.errLines());
        // inverting the inverted picture gives back the original bytes, so exactly the same reading
        assertEquals(plain.out().replace(original.toString(), light.toString()), inverted.out());
        assertTrue(plain.out().startsWith(original + ": b "), plain.out());

        Run kept = succeed("predict", model.toString(), light.toString(), "--top", "3", "--no-invert");
        assertTrue(!kept.out().equals(inverted.out()), "--no-invert feeds the light picture as it is:\n" + kept.out());
        JsonNode json = run("predict", model.toString(), light.toString(), "--json").json();
        assertTrue(json.get("predictions").get(0).get("inverted").booleanValue(), json.toString());
    }

    @Test
    void aMixedPictureIsNeverInverted() throws Exception {
        // the left half light, the right half dark: no side holds 90 % of the border
        byte[] pixels = blob(2, 7);
        for (int y = 0; y < SIZE; y++) {
            for (int x = 0; x < SIZE / 2; x++) {
                pixels[y * SIZE + x] = (byte) 240;
            }
        }
        assertEquals(Background.MIXED, Background.of(pixels, 1, SIZE, SIZE));
        Path mixed = write(dir.resolve("new/mixed.png"), pixels);
        Run run = succeed("predict", model.toString(), mixed.toString(), "--json");
        assertFalse(run.json().get("predictions").get(0).has("inverted"), run.out());
    }

    @Test
    void evalReadsTheDataAndThePictureSizeFromTheFile() throws Exception {
        Run given = succeed("eval", model.toString(), "--data", data.toString(), "--image-size", "12", "--json");
        Run fromFile = succeed("eval", model.toString(), "--json");
        assertEquals(given.out(), fromFile.out());
        assertTrue(fromFile.outLines().getFirst().startsWith(model + " on the " + data + " test set (12 examples)"),
                fromFile.out());
        // a size that contradicts the file is the user's to give, and then it does not fit
        assertUserError(run("eval", model.toString(), "--image-size", "16"), "[1, 12, 12]", "[1, 16, 16]");
    }

    @Test
    void evalInvertsLightBackgroundTestPicturesAsPredictDoes() throws Exception {
        Path light = dir.resolve("light");
        Files.createDirectories(light.resolve("train"));
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < 4; i++) {
                BufferedImage image = ImageIO.read(data.resolve("test/" + CLASSES.get(c) + "/" + i + ".png").toFile());
                byte[] pixels = (byte[]) image.getRaster().getDataElements(0, 0, SIZE, SIZE, null);
                write(light.resolve("test/" + CLASSES.get(c) + "/" + i + ".png"), Background.invert(pixels));
            }
        }
        Run original = succeed("eval", model.toString(), "--data", data.toString(), "--json");
        Run inverted = run("eval", model.toString(), "--data", light.toString(), "--json");
        assertEquals(0, inverted.exitCode(), inverted::toString);
        assertEquals(List.of("soma: 12 of 12 test pictures have a light background; the model was trained on dark"
                + " backgrounds, so they were inverted (use --no-invert to keep them)"), inverted.errLines());
        assertEquals(original.json(), inverted.json(), "inverted back, the same bytes, the same counts");
        Run kept = succeed("eval", model.toString(), "--data", light.toString(), "--json", "--no-invert");
        assertFalse(kept.json().equals(original.json()), kept.out());
    }

    @Test
    void aFileThatDoesNotNameItsDataNeedsData() throws Exception {
        Path old = dir.resolve("old.safetensors");
        ModelFile saved = ModelFile.load(model);
        ModelFile.save(old, saved.model(), saved.spec(), saved.classNames(), java.util.Map.of());
        assertUsageError(run("eval", old.toString()), "eval", "--data is needed", old.toString());
    }

    @Test
    void aClassWithoutTestExamplesIsNotApplicable() throws Exception {
        Path partial = dir.resolve("partial");
        Files.createDirectories(partial.resolve("train"));
        for (int c = 0; c < 2; c++) {
            for (int i = 0; i < 4; i++) {
                Files.copy(data.resolve("test/" + CLASSES.get(c) + "/" + i + ".png"),
                        Files.createDirectories(partial.resolve("test/" + CLASSES.get(c))).resolve(i + ".png"));
            }
        }
        Run run = run("eval", model.toString(), "--data", partial.toString());
        assertEquals(0, run.exitCode(), run::toString);
        assertEquals(List.of("soma: warning: the test set has no examples of class c, which the model knows:"
                + " its accuracy is n/a"), run.errLines());
        assertTrue(run.outLines().contains("  c           n/a         0"), run.out());

        JsonNode json = run("eval", model.toString(), "--data", partial.toString(), "--json").json();
        assertEquals(List.of("accuracy", "examples", "per_class", "classes_without_examples", "confusion"),
                fieldNames(json));
        assertEquals(8, json.get("examples").intValue());
        assertTrue(json.get("per_class").get(2).get("accuracy").isNull(), json.toString());
        assertEquals("[\"c\"]", json.get("classes_without_examples").toString());
        JsonNode confusion = json.get("confusion");
        assertEquals(3, confusion.size());
        long right = 0;
        for (int t = 0; t < 3; t++) {
            right += confusion.get(t).get(t).longValue();
        }
        assertEquals(right / 8.0, json.get("accuracy").doubleValue(), 1e-12);
        for (int c = 0; c < 2; c++) {
            double examples = 0;
            for (int p = 0; p < 3; p++) {
                examples += confusion.get(c).get(p).longValue();
            }
            assertEquals(4, examples);
            assertEquals(confusion.get(c).get(c).longValue() / 4.0,
                    json.get("per_class").get(c).get("accuracy").doubleValue(), 1e-12);
        }
    }
}
