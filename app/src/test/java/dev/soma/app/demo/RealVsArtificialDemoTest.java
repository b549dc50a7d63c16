package dev.soma.app.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code soma demo real-vs-artificial}: every number of the table comes from the two runs. */
class RealVsArtificialDemoTest {

    @TempDir
    Path dir;

    @Test
    void theTableIsFilledFromTheRuns() throws Exception {
        Path picture = dir.resolve("real.png");
        JsonNode json = run(3, picture);
        assertEquals(List.of("demo", "seed", "inputs", "weights", "bias", "artificial", "real", "rows"), names(json));
        JsonNode artificial = json.get("artificial");
        JsonNode real = json.get("real");

        // The artificial output, recomputed here in double: ReLU(Σ wᵢxᵢ + b).
        double z = json.get("bias").asDouble();
        for (int i = 0; i < RealVsArtificialDemo.INPUTS; i++) {
            z += json.get("weights").get(i).asDouble() * json.get("inputs").get(i).asDouble();
        }
        assertEquals(z, artificial.get("pre_activation").asDouble(), 1e-5);
        assertEquals(Math.max(0, z), artificial.get("output").asDouble(), 1e-5);
        assertEquals(RealVsArtificialDemo.INPUTS, artificial.get("multiply_adds").asInt());

        // The spiking run: the counts agree with the recorded spikes, the events with the input spikes.
        int outputSpikes = real.get("output_spikes").asInt();
        assertEquals(outputSpikes, real.get("spike_times_ms").size());
        assertTrue(outputSpikes > 0, "the neuron fires: " + real);
        assertEquals(outputSpikes / (RealVsArtificialDemo.DURATION_MS / 1000), real.get("rate_hz").asDouble(), 1e-9);
        long events = 0;
        for (JsonNode count : real.get("input_spikes")) {
            events += count.asLong();
        }
        assertEquals(events, real.get("synaptic_events").asLong());
        // Each input fires at x·100 Hz for 1 s: the total within 4 standard deviations of Σ 100·xᵢ.
        double expected = 0;
        for (JsonNode x : json.get("inputs")) {
            expected += 100 * x.asDouble();
        }
        assertEquals(expected, events, 4 * Math.sqrt(expected));
        double previous = 0;
        for (JsonNode t : real.get("spike_times_ms")) {
            assertTrue(t.asDouble() > previous && t.asDouble() <= RealVsArtificialDemo.DURATION_MS, "spike times rise");
            previous = t.asDouble();
        }
        assertEquals(-50, real.get("threshold_mv").asDouble());
        assertEquals(10_000, real.get("membrane_updates").asLong());

        JsonNode rows = json.get("rows");
        List<String> rowNames = new ArrayList<>();
        rows.forEach(row -> rowNames.add(row.get("row").asText()));
        assertEquals(List.of("what travels", "when", "threshold", "weights", "operations"), rowNames);
        assertTrue(rows.get(0).get("real").asText().contains(events + " in, " + outputSpikes + " out"), rows.toString());
        assertTrue(rows.get(4).get("real").asText().startsWith(events + " synaptic events"), rows.toString());
        assertTrue(ImageIO.read(picture.toFile()).getWidth() > 0);
    }

    @Test
    void theSeedDecidesTheInput() throws Exception {
        JsonNode first = run(5, null);
        assertEquals(first, run(5, null));
        assertNotEquals(first.get("inputs"), run(6, null).get("inputs"));
    }

    private static JsonNode run(long seed, Path plot) throws Exception {
        Map<String, Object> result = new RealVsArtificialDemo()
                .run(new DemoContext(seed, new PrintWriter(new StringWriter()), plot));
        JsonMapper mapper = JsonMapper.builder().build();
        return mapper.readTree(mapper.writeValueAsString(result));
    }

    private static List<String> names(JsonNode json) {
        List<String> names = new ArrayList<>();
        json.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
