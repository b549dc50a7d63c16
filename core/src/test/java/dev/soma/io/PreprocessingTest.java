package dev.soma.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.soma.data.Background;
import dev.soma.data.ImageDataset;
import dev.soma.data.PointFeature;
import dev.soma.nn.Linear;
import dev.soma.nn.ModelSpec;
import dev.soma.nn.Models;
import dev.soma.tensor.Generator;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A model file's {@code soma.input}: written, read back whole, and defaults for files without it. */
class PreprocessingTest {

    @TempDir
    Path dir;

    @Test
    void imagesRoundTripThroughAModelFile() throws IOException {
        ModelSpec spec = Models.named("mlp", new int[] {3, 4, 5}, 2);
        Preprocessing input = new Preprocessing(Preprocessing.Kind.IMAGES, "pets/", 3, 4, 5, 255,
                List.of(0.485, 0.456, 0.406), List.of(0.229, 0.224, 0.225), Background.LIGHT, List.of());
        Path file = dir.resolve("m.safetensors");
        ModelFile.save(file, spec.build(new Generator(0)), spec, List.of("cat", "dog"),
                Map.of(Preprocessing.KEY, PreprocessingJson.toJson(input)));
        ModelFile loaded = ModelFile.load(file);
        assertEquals(input, loaded.input());
        assertTrue(loaded.metadata().get(Preprocessing.KEY).contains("\"format\":\"soma-input/1\""));
        assertTrue(loaded.metadata().get(Preprocessing.KEY).contains("\"background\":\"light\""));
    }

    @Test
    void pointsRoundTripInOrder() {
        Preprocessing input = Preprocessing.points("circle",
                List.of(PointFeature.X1_SQUARED, PointFeature.X2_SQUARED, PointFeature.SIN_X1));
        String json = PreprocessingJson.toJson(input);
        assertEquals("{\"format\":\"soma-input/1\",\"kind\":\"points\",\"source\":\"circle\","
                + "\"features\":[\"x1^2\",\"x2^2\",\"sin(x1)\"]}", json);
        assertEquals(input, PreprocessingJson.fromJson(json));
    }

    @Test
    void theImageOfAPictureIsWhatTheTrainingSetsBatchHolds() {
        byte[] pixels = new byte[3 * 3 * 3];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (byte) (i * 9);
        }
        float[] mean = {0.25f, 0.5f, 0.125f};
        float[] std = {0.5f, 2f, 0.3f};
        Preprocessing input = new Preprocessing(Preprocessing.Kind.IMAGES, null, 3, 3, 3, 255,
                List.of(0.25, 0.5, 0.125), List.of(0.5, 2.0, (double) 0.3f), Background.DARK, List.of());
        ImageDataset training = new ImageDataset(pixels, 3, 3, 3, new int[] {0}, List.of("a")).normalized(mean, std);
        assertArrayEquals(training.batch(new int[] {0}).inputs().toArray(), input.image(pixels).toArray());
        // independent values: pixel 9 in channel 0 is (9/255 − 0.25) / 0.5, pixel 9·9 in channel 1 (81/255 − 0.5) / 2
        assertEquals((9 / 255.0 - 0.25) / 0.5, input.image(pixels).toArray()[1], 1e-6);
        assertEquals((81 / 255.0 - 0.5) / 2, input.image(pixels).toArray()[9], 1e-6);
    }

    @Test
    void pointsBecomeTheirFeatures() {
        Preprocessing input = Preprocessing.points(null, List.of(PointFeature.X1, PointFeature.X1_X2, PointFeature.SIN_X2));
        float[] row = input.points(new float[][] {{2, -3}}).toArray();
        assertArrayEquals(new float[] {2, -6, (float) Math.sin(-3)}, row);
    }

    @Test
    void filesWithoutItReadAsBefore() throws IOException {
        ModelSpec cnn = Models.named("cnn", new int[] {1, 16, 16}, 2);
        Path file = dir.resolve("old.safetensors");
        ModelFile.save(file, cnn.build(new Generator(0)), cnn, List.of("a", "b"), Map.of("soma.data", "shapes/"));
        Preprocessing input = ModelFile.load(file).input();
        assertEquals(Preprocessing.images("shapes/", 1, 16, 16, Background.MIXED), input);
        assertEquals(List.of(0.0), input.mean());
        assertEquals(List.of(1.0), input.std());

        ModelSpec xy = new ModelSpec(new int[] {2}, List.of(new Linear.Spec(2, 2)));
        assertEquals(List.of(PointFeature.X1, PointFeature.X2), Preprocessing.defaults(xy, Map.of()).features());
        ModelSpec three = new ModelSpec(new int[] {3}, List.of(new Linear.Spec(3, 1)));
        assertEquals(List.of(PointFeature.X1, PointFeature.X1_SQUARED, PointFeature.SIN_X2), Preprocessing.defaults(three,
                Map.of("soma.playground.features", "x1,x1^2,sin(x2)")).features());
        assertEquals(Preprocessing.Kind.VECTOR, Preprocessing.defaults(three, Map.of()).kind());
    }

    @Test
    void aBadFieldIsNamed() {
        String good = PreprocessingJson.toJson(Preprocessing.images(null, 1, 28, 28, Background.DARK));
        assertMessage("unknown background 'grey'", good.replace("\"dark\"", "\"grey\""));
        assertMessage("this version reads soma-input/1", good.replace("soma-input/1", "soma-input/9"));
        assertMessage("unknown field 'colour'", good.replace("{", "{\"colour\":1,"));
        assertMessage("mean and std need one value per channel", good.replace("\"mean\":[0.0]", "\"mean\":[0.0,0.0]"));
        assertMessage("std positive", good.replace("\"std\":[1.0]", "\"std\":[0.0]"));
        assertMessage("missing field 'height'", good.replace("\"height\":28,", ""));
        assertMessage("unknown feature 'x3'", "{\"format\":\"soma-input/1\",\"kind\":\"points\",\"features\":[\"x3\"]}");
    }

    @Test
    void aFileWhoseInputDoesNotFitItsSpecIsRefused() throws IOException {
        ModelSpec cnn = Models.named("cnn", new int[] {1, 16, 16}, 2);
        Path file = dir.resolve("lying.safetensors");
        ModelFile.save(file, cnn.build(new Generator(0)), cnn, List.of("a", "b"),
                Map.of(Preprocessing.KEY, PreprocessingJson.toJson(Preprocessing.images(null, 1, 28, 28, Background.DARK))));
        FileFormatException e = assertThrows(FileFormatException.class, () -> ModelFile.load(file));
        assertTrue(e.getMessage().contains("soma.input: images of 1 × 28 × 28 do not fit the model's input [1, 16, 16]"),
                e.getMessage());
    }

    private static void assertMessage(String fragment, String json) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PreprocessingJson.fromJson(json));
        assertTrue(e.getMessage().contains(fragment), () -> "no '" + fragment + "' in: " + e.getMessage());
    }
}
