package dev.soma.spiking;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What a simulation recorded, in a form to save and read back: every spike as a (neuron, time) pair,
 * the membrane traces of chosen neurons, and each neuron's mean rate over the run.
 *
 * <p>JSON ({@link #toJson}), one object:
 * <pre>
 * {"source": "spike neuron", "dt_ms": 0.05, "duration_ms": 300.0, "neurons": 1, "spike_count": 2,
 *  "spikes": [[0, 31.35], [0, 43.1]],                      // [neuron, time in ms], in time order
 *  "membrane": [{"population": "lif", "neuron": 0, "start_ms": 0.05, "dt_ms": 0.05, "v_mv": [-65.0, …]}],
 *  "rates_hz": [6.67]}                                      // spikes / duration, per neuron
 * </pre>
 * Sample {@code k} of a trace is the potential at {@code start_ms + k·dt_ms}.
 *
 * @param source what ran, e.g. {@code spike network}
 * @param dtMs the simulation's time step, ms
 * @param durationMs the simulated time, ms
 * @param neurons the neurons that could spike (indices {@code 0..neurons − 1})
 * @param spikeNeurons the neuron of each spike
 * @param spikeTimesMs the time of each spike, ms, aligned with {@code spikeNeurons}
 * @param traces membrane traces (may be empty)
 */
public record Recording(String source, double dtMs, double durationMs, int neurons, int[] spikeNeurons,
                        double[] spikeTimesMs, List<Trace> traces) {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    /** One neuron's membrane potential, mV, sampled every {@code dtMs} from {@code startMs}. */
    public record Trace(String population, int neuron, double startMs, double dtMs, float[] membraneMv) {
    }

    public Recording {
        if (spikeNeurons.length != spikeTimesMs.length) {
            throw new IllegalArgumentException(spikeNeurons.length + " spike neurons for " + spikeTimesMs.length
                    + " spike times");
        }
        for (int n : spikeNeurons) {
            if (n < 0 || n >= neurons) {
                throw new IllegalArgumentException("spike of neuron " + n + " outside 0.." + (neurons - 1));
            }
        }
        traces = List.copyOf(traces);
    }

    /** The spikes of a {@link SpikeRecorder} and the traces of membrane recorders, over {@code durationMs}. */
    public static Recording of(String source, double dtMs, double durationMs, SpikeRecorder spikes,
                               List<MembraneRecorder> membranes) {
        int[] ids = new int[spikes.count()];
        double[] times = new double[spikes.count()];
        for (int k = 0; k < ids.length; k++) {
            ids[k] = spikes.neuron(k);
            times[k] = spikes.timeMs(k);
        }
        List<Trace> traces = new ArrayList<>();
        for (MembraneRecorder recorder : membranes) {
            for (int j = 0; j < recorder.neurons(); j++) {
                traces.add(new Trace(recorder.population().name(), recorder.neuron(j), recorder.timeMs(0), dtMs,
                        recorder.trace(j)));
            }
        }
        return new Recording(source, dtMs, durationMs, spikes.neurons(), ids, times, traces);
    }

    /**
     * Step responses of single neurons (neuron {@code i} is {@code responses[i]}), spikes merged in time
     * order, each membrane trace labelled {@code population}.
     */
    public static Recording of(String source, String population, double durationMs, List<StepResponse> responses) {
        List<double[]> pairs = new ArrayList<>();
        List<Trace> traces = new ArrayList<>();
        for (int i = 0; i < responses.size(); i++) {
            StepResponse response = responses.get(i);
            for (double t : response.spikeTimesMs()) {
                pairs.add(new double[] {t, i});
            }
            traces.add(new Trace(population, i, response.dtMs(), response.dtMs(), response.membraneMv()));
        }
        pairs.sort((a, b) -> a[0] != b[0] ? Double.compare(a[0], b[0]) : Double.compare(a[1], b[1]));
        int[] ids = new int[pairs.size()];
        double[] times = new double[pairs.size()];
        for (int k = 0; k < ids.length; k++) {
            times[k] = pairs.get(k)[0];
            ids[k] = (int) pairs.get(k)[1];
        }
        double dt = responses.isEmpty() ? 0 : responses.getFirst().dtMs();
        return new Recording(source, dt, durationMs, responses.size(), ids, times, traces);
    }

    /** The number of spikes. */
    public int spikeCount() {
        return spikeNeurons.length;
    }

    /** Each neuron's spike count over the duration, per second, Hz. */
    public double[] ratesHz() {
        double[] rates = new double[neurons];
        for (int n : spikeNeurons) {
            rates[n]++;
        }
        for (int i = 0; i < neurons; i++) {
            rates[i] /= durationMs / 1000;
        }
        return rates;
    }

    /** This recording as one JSON object (format above). */
    public String toJson() {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("source", source);
        root.put("dt_ms", dtMs);
        root.put("duration_ms", durationMs);
        root.put("neurons", neurons);
        root.put("spike_count", spikeCount());
        ArrayNode spikes = root.putArray("spikes");
        for (int k = 0; k < spikeNeurons.length; k++) {
            spikes.addArray().add(spikeNeurons[k]).add(spikeTimesMs[k]);
        }
        ArrayNode membrane = root.putArray("membrane");
        for (Trace trace : traces) {
            ObjectNode node = membrane.addObject();
            node.put("population", trace.population());
            node.put("neuron", trace.neuron());
            node.put("start_ms", trace.startMs());
            node.put("dt_ms", trace.dtMs());
            ArrayNode values = node.putArray("v_mv");
            for (float v : trace.membraneMv()) {
                values.add(v);
            }
        }
        ArrayNode rates = root.putArray("rates_hz");
        for (double rate : ratesHz()) {
            rates.add(rate);
        }
        try {
            return MAPPER.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Reads a recording written by {@link #toJson}; {@code rates_hz} is derived, so not read.
     *
     * @throws IllegalArgumentException naming what is missing or malformed
     */
    public static Recording fromJson(String json) {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a recording: " + e.getOriginalMessage(), e);
        }
        JsonNode spikes = required(root, "spikes");
        int[] ids = new int[spikes.size()];
        double[] times = new double[spikes.size()];
        for (int k = 0; k < ids.length; k++) {
            ids[k] = spikes.get(k).get(0).asInt();
            times[k] = spikes.get(k).get(1).asDouble();
        }
        List<Trace> traces = new ArrayList<>();
        for (JsonNode node : required(root, "membrane")) {
            JsonNode values = required(node, "v_mv");
            float[] v = new float[values.size()];
            for (int k = 0; k < v.length; k++) {
                v[k] = values.get(k).floatValue();
            }
            traces.add(new Trace(required(node, "population").asText(), required(node, "neuron").asInt(),
                    required(node, "start_ms").asDouble(), required(node, "dt_ms").asDouble(), v));
        }
        return new Recording(required(root, "source").asText(), required(root, "dt_ms").asDouble(),
                required(root, "duration_ms").asDouble(), required(root, "neurons").asInt(), ids, times, traces);
    }

    /** Writes {@link #toJson} to {@code file}. */
    public void save(Path file) throws IOException {
        Files.writeString(file, toJson() + "\n", StandardCharsets.UTF_8);
    }

    /** Reads a file written by {@link #save}. */
    public static Recording load(Path file) throws IOException {
        return fromJson(Files.readString(file, StandardCharsets.UTF_8));
    }

    private static JsonNode required(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        if (value == null || value.isNull()) {
            throw new IllegalArgumentException("not a recording: no \"" + field + "\"");
        }
        return value;
    }
}
