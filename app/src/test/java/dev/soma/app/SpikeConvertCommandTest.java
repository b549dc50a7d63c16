package dev.soma.app;

import static dev.soma.app.CommandTesting.assertUsageError;
import static dev.soma.app.CommandTesting.brightAndDarkSplit;
import static dev.soma.app.CommandTesting.assertUserError;
import static dev.soma.app.CommandTesting.fieldNames;
import static dev.soma.app.CommandTesting.numbers;
import static dev.soma.app.CommandTesting.succeed;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.soma.io.ModelFile;
import dev.soma.nn.Linear;
import dev.soma.nn.ModelSpec;
import dev.soma.nn.Sigmoid;
import dev.soma.tensor.Generator;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code soma spike convert} on a toy set (the real Fashion-MNIST run is the spiking module's
 * FashionMnistConversionTest): the JSON fields scripts rely on, the picture, and the refusals.
 */
class SpikeConvertCommandTest {

    @TempDir
    Path dir;

    @Test
    void aTrainedMlpSpikesItsWayToTheAnnsAccuracy() throws Exception {
        Path model = dir.resolve("moons.safetensors");
        succeed("train", "--data", "moons", "--samples", "400", "--model", "mlp", "--epochs", "5", "--seed", "1",
                "--save", model.toString());
        Path plot = dir.resolve("convert.png");
        JsonNode json = succeed("spike", "convert", model.toString(), "--data", "moons", "--samples", "400", "--steps", "256,8,64",
                "--plot", plot.toString(), "--json").json();
        assertEquals(List.of("ann_accuracy", "steps", "snn_accuracy", "synaptic_events", "ann_macs"),
                fieldNames(json).subList(0, 5));
        assertArrayEquals(new double[] {8, 64, 256}, numbers(json.get("steps")), "in increasing order");
        double ann = json.get("ann_accuracy").asDouble();
        double[] snn = numbers(json.get("snn_accuracy"));
        double[] events = numbers(json.get("synaptic_events"));
        assertEquals(3, snn.length);
        assertTrue(ann > 0.8, json.toString());
        assertEquals(ann, snn[2], 0.02, "within 2 points at 256 steps: " + json);
        assertTrue(events[0] < events[1] && events[1] < events[2], "events grow with the steps: " + json);
        // mlp on 2 inputs: 2·256 + 256·128 + 128·2 multiply-adds, for every entry.
        assertArrayEquals(new double[] {33_536, 33_536, 33_536}, numbers(json.get("ann_macs")));
        assertTrue(ImageIO.read(plot.toFile()).getWidth() > 0);
        String[] poisson = {"spike", "convert", model.toString(), "--data", "moons", "--samples", "400", "--limit", "50",
            "--steps", "8,64", "--input", "poisson", "--seed", "4", "--json"};
        JsonNode first = succeed(poisson).json();
        JsonNode second = succeed(poisson).json();
        assertEquals(first.get("snn_accuracy"), second.get("snn_accuracy"), "the same seed gives the same spikes");
        assertEquals(first.get("synaptic_events"), second.get("synaptic_events"));
    }

    @Test
    void aTrainedCnnConvertsWithTheSameFields() throws Exception {
        Path model = dir.resolve("cnn.safetensors");
        String data = brightAndDarkSplit(dir.resolve("data")).toString();
        succeed("train", "--data", data, "--model", "cnn", "--image-size", "8", "--batch", "4", "--epochs", "2",
                "--seed", "1", "--save", model.toString());
        JsonNode json = succeed("spike", "convert", model.toString(), "--data", data, "--image-size", "8",
                "--steps", "32,128", "--json").json();
        assertEquals(List.of("ann_accuracy", "steps", "snn_accuracy", "synaptic_events", "ann_macs"),
                fieldNames(json).subList(0, 5));
        assertEquals("[\"conv[16, 8, 8]\",\"maxpool-gate[16, 4, 4]\",\"conv[32, 4, 4]\",\"maxpool-gate[32, 2, 2]\","
                + "\"dense[128]\",\"dense[2]\"]", json.get("layers").toString());
        double ann = json.get("ann_accuracy").asDouble();
        double[] snn = numbers(json.get("snn_accuracy"));
        assertTrue(ann >= 0.9, json.toString());
        assertEquals(ann, snn[1], 0.1, "within 10 points at 128 steps: " + json);
        // cnn on 1×8×8: 3×3 convolutions with padding 1 read (3n − 2)² taps of an n×n plane, so
        // 22²·1·16 + 10²·16·32 multiply-adds, then 32·2·2·128 and 128·2.
        double macs = 484 * 16 + 100 * 16 * 32 + 128 * 128 + 128 * 2;
        assertArrayEquals(new double[] {macs, macs}, numbers(json.get("ann_macs")));
    }

    @Test
    void badInputIsOneClearLine() throws Exception {
        Path sigmoid = dir.resolve("sigmoid.safetensors");
        ModelSpec spec = new ModelSpec(new int[] {2}, List.of(new Linear.Spec(2, 4), Sigmoid.SPEC, new Linear.Spec(4, 2)));
        ModelFile.save(sigmoid, spec.build(new Generator(0)), spec, List.of("0", "1"), Map.of());
        assertUserError(CommandTesting.run("spike", "convert", sigmoid.toString(), "--data", "moons"),
                "layer 1 is Sigmoid", "only Linear or Conv2d layers");
        assertUserError(CommandTesting.run("spike", "convert", dir.resolve("none.safetensors").toString(), "--data", "moons"),
                "none.safetensors");
        assertUsageError(CommandTesting.run("spike", "convert", sigmoid.toString(), "--data", "moons", "--steps", "16,0"),
                "spike convert", "--steps must all be ≥ 1, got 0");
        assertUsageError(CommandTesting.run("spike", "convert", sigmoid.toString(), "--data", "moons", "--percentile", "0"),
                "spike convert", "--percentile must be in (0, 100], got 0.0");
        assertUsageError(CommandTesting.run("spike", "convert", sigmoid.toString(), "--data", "moons", "--input", "burst"),
                "spike convert", "--input must be current or poisson, got 'burst'");
    }
}
