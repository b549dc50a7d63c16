package dev.soma.app;

import static dev.soma.app.CommandTesting.assertUsageError;
import static dev.soma.app.CommandTesting.numbers;
import static dev.soma.app.CommandTesting.succeed;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code soma spike}: the JSON fields scripts rely on, the pictures, and the errors for bad parameters. */
class SpikeCommandTest {

    @TempDir
    Path dir;

    @Test
    void fiGivesTheGoldenRatesBesideTheSimulatedOnes() throws Exception {
        JsonNode json = succeed("spike", "fi", "--json").json();
        assertEquals(10, json.get("tau_ms").asDouble());
        assertEquals(10, json.get("threshold_mv").asDouble());
        assertEquals(5, json.get("refractory_ms").asDouble());
        assertArrayEquals(new double[] {11, 12, 15, 20}, numbers(json.get("currents_mv")));
        assertArrayEquals(new double[] {34.5, 43.6, 62.6, 83.8}, numbers(json.get("analytic_hz")), 0.05);
        assertArrayEquals(numbers(json.get("analytic_hz")), numbers(json.get("simulated_hz")), 0.1);
    }

    @Test
    void fiTakesItsParametersAndDrawsTheCurve() throws Exception {
        Path plot = dir.resolve("fi.png");
        JsonNode json = succeed("spike", "fi", "--tau", "20", "--threshold", "15", "--refractory", "2",
                "--currents", "16,30", "--duration", "500", "--plot", plot.toString(), "--json").json();
        double exact = 1000 / (2 + 20 * Math.log(30.0 / 15));
        assertEquals(exact, numbers(json.get("analytic_hz"))[1], 1e-3);
        BufferedImage image = ImageIO.read(plot.toFile());
        assertEquals(640, image.getWidth());
    }

    @Test
    void neuronRunsEachModelAndMarksItsSpikes() throws Exception {
        for (String[] args : new String[][] {{"lif"}, {"izhikevich", "ib"}, {"adex", "adapting"}}) {
            Path plot = dir.resolve(args[0] + ".png");
            String[] command = args.length == 1
                    ? new String[] {"spike", "neuron", "--model", args[0], "--plot", plot.toString(), "--json"}
                    : new String[] {"spike", "neuron", "--model", args[0], "--preset", args[1], "--plot", plot.toString(), "--json"};
            JsonNode json = succeed(command).json();
            assertTrue(json.get("spikes").asInt() > 3, args[0] + ": " + json);
            double first = json.get("spike_times_ms").get(0).asDouble();
            assertTrue(first > 20, "no spike before the current's onset: " + first);
            assertTrue(ImageIO.read(plot.toFile()).getWidth() > 0);
        }
        // LIF, R*I = 15 mV from 20 ms: the first spike after τ·ln(15/5) = 10.99 ms, rounded up to the step.
        JsonNode lif = succeed("spike", "neuron", "--json").json();
        assertEquals(20 + 10 * Math.log(3), lif.get("spike_times_ms").get(0).asDouble(), 0.05 + 1e-9);
    }

    @Test
    void networkReportsTheFieldsScriptsRelyOn() throws Exception {
        Path plot = dir.resolve("raster.png");
        JsonNode json = succeed("spike", "network", "--neurons", "1000", "--seconds", "0.3", "--seed", "3",
                "--plot", plot.toString(), "--json").json();
        for (String field : new String[] {"neurons", "synapses", "bio_seconds", "wall_seconds", "spikes", "mean_rate_hz", "isi_cv"}) {
            assertTrue(json.has(field), field + " in " + json);
        }
        assertEquals(1000, json.get("neurons").asInt());
        // An int per synapse (the weight is stored once per projection), and 4 bytes per source neuron in
        // each of its two projections: 4 + 8/80.
        assertEquals(4.1, json.get("bytes_per_synapse").asDouble(), 0.01, json.toString());
        assertTrue(json.has("peak_rss_mib"), json.toString());
        assertEquals(80_000, json.get("synapses").asDouble(), 5 * Math.sqrt(80_000));
        assertEquals(json.get("spikes").asDouble() / 1000 / 0.3, json.get("mean_rate_hz").asDouble(), 1e-3);
        assertTrue(json.get("mean_rate_hz").asDouble() > 1 && json.get("mean_rate_hz").asDouble() < 30, json.toString());
        JsonNode again = succeed("spike", "network", "--neurons", "1000", "--seconds", "0.3", "--seed", "3", "--json").json();
        assertEquals(json.get("spikes"), again.get("spikes"), "same seed, same spikes");
        assertEquals(1280, ImageIO.read(plot.toFile()).getWidth());
        // 20 inputs per neuron instead of 80: p = 20/1000.
        JsonNode sparse = succeed("spike", "network", "--neurons", "1000", "--seconds", "0.1", "--synapses-per-neuron", "20",
                "--json").json();
        assertEquals(20_000, sparse.get("synapses").asDouble(), 5 * Math.sqrt(20_000));
        assertEquals(20, sparse.get("synapses_per_neuron").asDouble());
    }

    @Test
    void badParametersAreOneClearLine() {
        assertUsageError(CommandTesting.run("spike", "fi", "--tau", "-10"), "spike fi", "τ must be > 0 ms, got -10.0");
        assertUsageError(CommandTesting.run("spike", "fi", "--threshold", "-5"), "spike fi",
                "threshold (-5.0 mV) must be above the reset (0.0 mV)");
        assertUsageError(CommandTesting.run("spike", "fi", "--dt", "0"), "spike fi", "--dt must be > 0 ms, got 0.0");
        assertUsageError(CommandTesting.run("spike", "neuron", "--dt", "-0.1"), "spike neuron", "--dt must be > 0 ms");
        assertUsageError(CommandTesting.run("spike", "neuron", "--model", "hodgkin"), "spike neuron", "unknown model 'hodgkin'");
        assertUsageError(CommandTesting.run("spike", "neuron", "--model", "izhikevich", "--preset", "zz"), "spike neuron",
                "unknown Izhikevich preset 'zz'");
        assertUsageError(CommandTesting.run("spike", "neuron", "--model", "adex", "--tau", "20"), "spike neuron",
                "--tau sets the lif model's parameters; the adex model takes --preset instead");
        assertUsageError(CommandTesting.run("spike", "network", "--neurons", "2"), "spike network", "--neurons must be >= 5");
        assertUsageError(CommandTesting.run("spike", "network", "--seconds", "0"), "spike network", "--seconds must be > 0");
        assertUsageError(CommandTesting.run("spike", "network", "--synapses-per-neuron", "-1"), "spike network",
                "--synapses-per-neuron must be > 0, got -1.0");
        assertUsageError(CommandTesting.run("spike", "network", "--plot", "x.jpg"), "spike network", "--plot");
    }
}
