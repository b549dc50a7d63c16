package dev.soma.app;

import static dev.soma.app.CommandTesting.assertUsageError;
import static dev.soma.app.CommandTesting.numbers;
import static dev.soma.app.CommandTesting.succeed;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.soma.spiking.Recording;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --record FILE.json} on {@code soma spike neuron}, {@code fi} and {@code network}: what the run printed. */
class SpikeRecordTest {

    @TempDir
    Path dir;

    @Test
    void theNeuronsRecordingHoldsTheSpikesItReported() throws Exception {
        Path file = dir.resolve("neuron.json");
        JsonNode json = succeed("spike", "neuron", "--record", file.toString(), "--json").json();
        JsonNode saved = read(file);
        assertEquals("spike neuron", saved.get("source").asText());
        assertEquals(json.get("spikes").asInt(), saved.get("spike_count").asInt());
        double[] times = numbers(json.get("spike_times_ms"));
        for (int k = 0; k < times.length; k++) {
            assertEquals(times[k], saved.get("spikes").get(k).get(1).asDouble(), 1e-6);
        }
        // 300 ms at dt 0.05 ms: 6000 samples of the one trace.
        assertEquals(6000, saved.get("membrane").get(0).get("v_mv").size());
        assertEquals(json.get("spikes").asInt() / 0.3, saved.get("rates_hz").get(0).asDouble(), 1e-9);
    }

    @Test
    void theFiRecordingHasOneNeuronPerCurrent() throws Exception {
        Path file = dir.resolve("fi.json");
        JsonNode json = succeed("spike", "fi", "--record", file.toString(), "--json").json();
        Recording recording = Recording.load(file);
        double[] simulated = numbers(json.get("simulated_hz"));
        assertEquals(simulated.length, recording.neurons());
        double[] rates = recording.ratesHz();
        for (int k = 0; k < simulated.length; k++) {
            // The curve's rate is (n − 1)/(t_last − t_first); the recording's n/duration: one spike apart at most.
            assertEquals(simulated[k], rates[k], 1000 / recording.durationMs() + simulated[k] * 0.05, "current " + k);
        }
    }

    @Test
    void theNetworkRecordingHoldsEverySpike() throws Exception {
        Path file = dir.resolve("network.json");
        JsonNode json = succeed("spike", "network", "--neurons", "500", "--seconds", "0.2", "--seed", "2", "--record",
                file.toString(), "--json").json();
        JsonNode saved = read(file);
        assertEquals(json.get("spikes").asInt(), saved.get("spike_count").asInt());
        assertEquals(json.get("spikes").asInt(), saved.get("spikes").size());
        assertEquals(500, saved.get("neurons").asInt());
        assertEquals(SpikeNetworkCommand.RECORDED_TRACES, saved.get("membrane").size());
        assertEquals(2000, saved.get("membrane").get(0).get("v_mv").size(), "0.2 s at dt 0.1 ms");
        double total = 0;
        for (JsonNode rate : saved.get("rates_hz")) {
            total += rate.asDouble();
        }
        assertEquals(json.get("mean_rate_hz").asDouble(), total / 500, 1e-3);
        assertUsageError(CommandTesting.run("spike", "fi", "--record", dir.resolve("fi.txt").toString()),
                "spike fi", "--record: expected a .json file name");
    }

    private static JsonNode read(Path file) throws Exception {
        return JsonMapper.builder().build().readTree(file.toFile());
    }
}
