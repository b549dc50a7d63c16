package dev.soma.app;

import static dev.soma.app.CommandTesting.assertUsageError;
import static dev.soma.app.CommandTesting.assertUserError;
import static dev.soma.app.CommandTesting.run;
import static dev.soma.app.CommandTesting.succeed;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.soma.app.CommandTesting.Run;
import dev.soma.data.PointFeature;
import dev.soma.io.ModelFile;
import dev.soma.io.Preprocessing;
import dev.soma.io.PreprocessingJson;
import dev.soma.nn.Linear;
import dev.soma.nn.ModelSpec;
import dev.soma.nn.Models;
import dev.soma.nn.Sequential;
import dev.soma.nn.Sigmoid;
import dev.soma.tensor.Generator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code soma predict --input X1,X2} and {@code --points FILE} on point models as the playground
 * exports them: one linear layer, its reading recomputed here in double from the file's weights.
 */
class PredictPointsTest {

    @TempDir
    Path dir;

    /** A model of one linear layer (and a last sigmoid if asked) on {@code features}, saved; returns its file. */
    private Path save(String name, List<PointFeature> features, int outputs, boolean sigmoid, List<String> classes,
            Map<String, String> metadata) throws Exception {
        Sequential model = new Sequential(new Linear(features.size(), outputs, new Generator(name.length())));
        if (sigmoid) {
            model.add(new Sigmoid());
        }
        ModelSpec spec = ModelSpec.of(new int[] {features.size()}, model);
        Path file = dir.resolve(name + ".safetensors");
        ModelFile.save(file, model, spec, classes, metadata);
        return file;
    }

    private static Map<String, String> recording(List<PointFeature> features) {
        return Map.of(Preprocessing.KEY, PreprocessingJson.toJson(Preprocessing.points("test", features)));
    }

    /** w·features(x1, x2) + b for output {@code o} of the file's linear layer, in double. */
    private static double linear(Path file, int o, List<PointFeature> features, double x1, double x2) throws Exception {
        Linear layer = (Linear) ((Sequential) ModelFile.load(file).model()).get(0);
        float[] w = layer.weight().toArray();
        double sum = layer.bias().toArray()[o];
        for (int j = 0; j < features.size(); j++) {
            double value = switch (features.get(j)) {
                case X1 -> x1;
                case X2 -> x2;
                case X1_SQUARED -> x1 * x1;
                case X2_SQUARED -> x2 * x2;
                case X1_X2 -> x1 * x2;
                case SIN_X1 -> Math.sin(x1);
                case SIN_X2 -> Math.sin(x2);
            };
            sum += w[o * features.size() + j] * value;
        }
        return sum;
    }

    @Test
    void aBinaryPlaygroundModelGivesTheProbabilityOfEachClass() throws Exception {
        List<PointFeature> features = List.of(PointFeature.X1_SQUARED, PointFeature.X2_SQUARED, PointFeature.X1_X2);
        Path file = save("circle", features, 1, true, List.of(), recording(features));
        double p1 = 1 / (1 + Math.exp(-linear(file, 0, features, 0.5, -1.5)));
        JsonNode json = succeed("predict", file.toString(), "--input", "0.5,-1.5", "--json").json();
        JsonNode reading = json.get("predictions").get(0);
        assertEquals("[0.5,-1.5]", reading.get("input").toString());
        JsonNode top = reading.get("top");
        int one = top.get(0).get("class").asText().equals("1") ? 0 : 1;
        assertEquals(p1, top.get(one).get("probability").doubleValue(), 1e-6);
        assertEquals(1 - p1, top.get(1 - one).get("probability").doubleValue(), 1e-6);
        assertEquals(p1 >= 0.5 ? "1" : "0", top.get(0).get("class").asText());
    }

    @Test
    void severalClassesGoThroughSoftmaxAndALogitThroughSigmoid() throws Exception {
        List<PointFeature> xy = List.of(PointFeature.X1, PointFeature.X2);
        Path three = save("three", xy, 3, false, List.of("red", "green", "blue"), recording(xy));
        double[] e = new double[3];
        double sum = 0;
        for (int k = 0; k < 3; k++) {
            e[k] = Math.exp(linear(three, k, xy, -0.25, 2));
            sum += e[k];
        }
        Run run = succeed("predict", three.toString(), "--input", "-0.25,2", "--top", "1");
        int best = 0;
        for (int k = 1; k < 3; k++) {
            best = e[k] > e[best] ? k : best;
        }
        assertEquals(String.format(Locale.ROOT, "-0.25,2: %s %.4f%n", List.of("red", "green", "blue").get(best),
                e[best] / sum), run.out());

        // soma train on a toy set: two logits; a single logit with two class names: σ
        Path logit = save("logit", xy, 1, false, List.of("no", "yes"), recording(xy));
        double yes = 1 / (1 + Math.exp(-linear(logit, 0, xy, 1, 1)));
        JsonNode top = succeed("predict", logit.toString(), "--input", "1,1", "--json").json()
                .get("predictions").get(0).get("top");
        assertEquals(yes, top.get(top.get(0).get("class").asText().equals("yes") ? 0 : 1).get("probability").doubleValue(),
                1e-6);
    }

    @Test
    void aRegressionGivesItsValueForEachLineOfACsv() throws Exception {
        List<PointFeature> features = List.of(PointFeature.X1, PointFeature.SIN_X2);
        Path file = save("sine", features, 1, false, List.of(), recording(features));
        Path csv = Files.writeString(dir.resolve("points.csv"), "x1,x2\n0,0\n# a comment\n\n1.5,-2,1\n");
        Run run = succeed("predict", file.toString(), "--points", csv.toString());
        assertEquals(List.of(
                String.format(Locale.ROOT, "0,0: %.4f", linear(file, 0, features, 0, 0)),
                String.format(Locale.ROOT, "1.5,-2: %.4f", linear(file, 0, features, 1.5, -2))), run.outLines());
        JsonNode json = succeed("predict", file.toString(), "--points", csv.toString(), "--json").json();
        assertEquals(linear(file, 0, features, 1.5, -2), json.get("predictions").get(1).get("value").doubleValue(), 1e-6);
    }

    @Test
    void anOlderPlaygroundFileIsReadWithItsRecordedFeatures() throws Exception {
        List<PointFeature> features = List.of(PointFeature.X1_X2, PointFeature.SIN_X1);
        Path file = save("old", features, 1, true, List.of(), Map.of("soma.playground.features", "x1*x2,sin(x1)"));
        double p1 = 1 / (1 + Math.exp(-linear(file, 0, features, 2, 3)));
        JsonNode top = succeed("predict", file.toString(), "--input", "2,3", "--json").json()
                .get("predictions").get(0).get("top");
        assertEquals(p1, top.get(top.get(0).get("class").asText().equals("1") ? 0 : 1).get("probability").doubleValue(),
                1e-6);
    }

    @Test
    void wrongArityAndWrongModelsAreOneClearLine() throws Exception {
        List<PointFeature> xy = List.of(PointFeature.X1, PointFeature.X2);
        Path file = save("xy", xy, 2, false, List.of("0", "1"), recording(xy));
        assertUsageError(run("predict", file.toString(), "--input", "1"), "predict", "--input takes two numbers", "got 1");
        assertUsageError(run("predict", file.toString(), "--input", "1,2,3"), "predict", "got 3", "'1,2,3'");
        assertUserError(run("predict", file.toString(), "--input", "1,abc"), "'abc' is not a finite number");
        Path csv = Files.writeString(dir.resolve("bad.csv"), "1,2\n1,2,3,4\n");
        assertUserError(run("predict", file.toString(), "--points", csv.toString()), csv + " line 2", "got 4 values");
        Path empty = Files.writeString(dir.resolve("empty.csv"), "x1,x2\n");
        assertUserError(run("predict", file.toString(), "--points", empty.toString()), "holds no points");
        assertUsageError(run("predict", file.toString(), "--input", "1,2", "--points", csv.toString()), "predict",
                "--input or --points");

        ModelSpec cnn = Models.named("cnn", new int[] {1, 16, 16}, 2);
        Path pictures = dir.resolve("cnn.safetensors");
        ModelFile.save(pictures, cnn.build(new Generator(0)), cnn, List.of("a", "b"), Map.of());
        assertUserError(run("predict", pictures.toString(), "--input", "1,2"), "[1, 16, 16]", "not 2-D points",
                "give it pictures");
    }
}
