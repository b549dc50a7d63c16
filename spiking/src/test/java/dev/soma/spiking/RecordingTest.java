package dev.soma.spiking;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.soma.tensor.Generator;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecordingTest {

    @TempDir
    Path dir;

    @Test
    void aNetworkRecordingSurvivesTheRoundTripAndItsRatesAreTheClosedForm() throws Exception {
        // Three unconnected LIF neurons (τ 10 ms, θ 10 mV, t_ref 2 ms) driven at 12, 15, 20 mV.
        Lif lif = new Lif(10, 0, 10, 0, 2);
        Network network = new Network();
        double[] drives = {12, 15, 20};
        List<Population> populations = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Population p = network.population("p" + i, 1, lif, new ExponentialSynapses(5, 5));
            p.setCurrent(drives[i]);
            populations.add(p);
        }
        ClockDrivenSimulator simulator = new ClockDrivenSimulator(network, 0.01, new Generator(0));
        MembraneRecorder trace = simulator.recordMembrane(populations.get(2), 0);
        double duration = 500;
        simulator.run(duration);
        Recording recording = Recording.of("test", 0.01, duration, simulator.spikes(), List.of(trace));

        assertEquals(simulator.spikes().count(), recording.spikeCount());
        double[] rates = recording.ratesHz();
        for (int i = 0; i < 3; i++) {
            // f = 1/(t_ref + τ·ln(I/(I − θ))): 48.9, 70.1 and 112.0 Hz; over 0.5 s, within two spikes.
            double analytic = 1000 / (2 + 10 * Math.log(drives[i] / (drives[i] - 10)));
            assertEquals(analytic, rates[i], 4, "neuron " + i);
        }

        Path file = dir.resolve("recording.json");
        recording.save(file);
        JsonNode json = JsonMapper.builder().build().readTree(file.toFile());
        assertEquals(List.of("source", "dt_ms", "duration_ms", "neurons", "spike_count", "spikes", "membrane",
                "rates_hz"), fieldNames(json));
        assertEquals(recording.spikeCount(), json.get("spikes").size());
        JsonNode first = json.get("spikes").get(0);
        assertEquals(simulator.spikes().neuron(0), first.get(0).asInt());
        assertEquals(simulator.spikes().timeMs(0), first.get(1).asDouble(), 0);
        assertEquals("p2", json.get("membrane").get(0).get("population").asText());
        assertEquals(trace.samples(), json.get("membrane").get(0).get("v_mv").size());

        Recording back = Recording.load(file);
        assertArrayEquals(recording.spikeNeurons(), back.spikeNeurons());
        assertArrayEquals(recording.spikeTimesMs(), back.spikeTimesMs(), 0);
        assertArrayEquals(trace.trace(0), back.traces().getFirst().membraneMv(), 0);
        assertEquals(recording.traces().getFirst().startMs(), back.traces().getFirst().startMs(), 0);
        assertArrayEquals(rates, back.ratesHz(), 0);
        assertEquals(3, back.neurons());
        assertEquals(duration, back.durationMs(), 0);
    }

    @Test
    void stepResponsesMergeInTimeOrder() {
        Lif lif = new Lif(10, 0, 10, 0, 2);
        List<StepResponse> responses = List.of(StepResponse.simulate(lif, 20, 0, 100, 100, 0.05),
                StepResponse.simulate(lif, 12, 0, 100, 100, 0.05));
        Recording recording = Recording.of("fi", "lif", 100, responses);
        assertEquals(responses.get(0).spikeTimesMs().length + responses.get(1).spikeTimesMs().length,
                recording.spikeCount());
        double[] times = recording.spikeTimesMs();
        for (int k = 1; k < times.length; k++) {
            assertTrue(times[k] >= times[k - 1], "in time order");
        }
        assertEquals(2, recording.traces().size());
        assertEquals(0.05, recording.traces().get(1).startMs(), 0, "sample k at (k + 1)·dt");
        assertThrows(IllegalArgumentException.class, () -> Recording.fromJson("{\"source\": \"x\"}"));
        assertThrows(IllegalArgumentException.class, () -> new Recording("x", 1, 1, 1, new int[] {1}, new double[] {0},
                List.of()));
    }

    private static List<String> fieldNames(JsonNode json) {
        List<String> names = new ArrayList<>();
        json.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
