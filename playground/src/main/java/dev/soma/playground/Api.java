package dev.soma.playground;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import dev.soma.playground.PlaygroundServer.RequestException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** One request to {@code /api}: the routes {@link PlaygroundServer} lists, each a method here. */
final class Api {

    private static final Set<String> SETTINGS_FIELDS = Set.of("dataset", "points", "noise", "trainPercent", "batchSize",
            "seed", "features", "layers", "activations", "optimizer", "learningRate", "regularization",
            "regularizationRate", "dropout");

    private static final Set<String> LIF_FIELDS = Set.of("layer", "neuron", "x1", "x2", "scaleMv", "tauMs",
            "thresholdMv", "refractoryMs", "durationMs", "dtMs");

    private final PlaygroundServer server;
    private final ObjectMapper json;
    private final HttpExchange exchange;
    private final String method;

    Api(PlaygroundServer server, HttpExchange exchange) {
        this.server = server;
        this.json = server.json;
        this.exchange = exchange;
        this.method = exchange.getRequestMethod();
    }

    void serve(String path) throws IOException {
        String[] parts = path.substring(1).split("/", -1);
        if (parts.length == 1 && parts[0].equals("presets")) {
            expect("GET");
            server.sendJson(exchange, 200, Presets.all());
            return;
        }
        if (!parts[0].equals("sessions")) {
            throw new RequestException(404, "no such API route: " + path);
        }
        if (parts.length == 1) {
            expect("POST");
            createSession();
            return;
        }
        LiveSession live = server.find(parts[1]);
        String route = parts.length == 2 ? "" : parts[2];
        if (parts.length > 3) {
            throw new RequestException(404, "no such API route: " + path);
        }
        switch (route) {
            case "" -> {
                if (method.equals("DELETE")) {
                    server.remove(live.id);
                    PlaygroundServer.send(exchange, 204, new byte[0]);
                } else {
                    expect("GET");
                    snapshot(live, 200, true);
                }
            }
            case "settings" -> changeSettings(live);
            case "control" -> control(live);
            case "weight" -> editWeight(live);
            case "points" -> addPoint(live);
            case "csv" -> uploadCsv(live);
            case "model" -> exportModel(live);
            case "lif" -> simulateLif(live);
            case "events" -> new EventStream(server, exchange, live).run();
            default -> throw new RequestException(404, "no such API route: " + path);
        }
    }

    private void createSession() throws IOException {
        JsonNode body = body(true);
        Settings settings;
        if (body.has("preset")) {
            settings = Presets.of(body.get("preset").asText());
        } else {
            settings = merge(server.defaults(), body);
        }
        LiveSession live = server.create(settings);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("id", live.id);
        answer.put("snapshot", live.read(s -> Snapshot.of(s, true)));
        server.sendJson(exchange, 201, answer);
    }

    private void changeSettings(LiveSession live) throws IOException {
        expect("POST");
        JsonNode body = body(false);
        if (body.has("preset")) {
            Settings preset = Presets.of(body.get("preset").asText());
            live.change(s -> {
                s.apply(preset);
                return null;
            });
        } else {
            live.change(s -> {
                s.apply(merge(s.settings(), body));
                return null;
            });
        }
        snapshot(live, 200, true);
    }

    private void control(LiveSession live) throws IOException {
        expect("POST");
        JsonNode body = body(false);
        String action = text(body, "action");
        switch (action) {
            case "play" -> live.play();
            case "pause" -> live.pause();
            case "step" -> {
                int steps = body.has("steps") ? integer(body, "steps") : 1;
                live.change(s -> {
                    s.step(steps);
                    return null;
                });
            }
            case "reset" -> {
                live.pause();
                live.change(s -> {
                    s.reset();
                    return null;
                });
            }
            default -> throw new PlaygroundException("action: expected play, pause, step or reset, got '" + action + "'");
        }
        snapshot(live, 200, false);
    }

    private void editWeight(LiveSession live) throws IOException {
        expect("POST");
        JsonNode body = body(false);
        int layer = integer(body, "layer");
        int to = integer(body, "to");
        double value = number(body, "value");
        boolean bias = body.path("bias").asBoolean(false);
        int from = bias ? 0 : integer(body, "from");
        live.change(s -> {
            if (bias) {
                s.setBias(layer, to, value);
            } else {
                s.setWeight(layer, to, from, value);
            }
            return null;
        });
        snapshot(live, 200, false);
    }

    private void addPoint(LiveSession live) throws IOException {
        expect("POST");
        JsonNode body = body(false);
        float x1 = (float) number(body, "x1");
        float x2 = (float) number(body, "x2");
        float label = (float) number(body, "label");
        live.change(s -> {
            s.addPoint(x1, x2, label);
            return null;
        });
        snapshot(live, 200, true);
    }

    private void uploadCsv(LiveSession live) throws IOException {
        expect("POST");
        String text = new String(read(Limits.MAX_CSV_BYTES, "a CSV"), StandardCharsets.UTF_8);
        var points = CsvPoints.parse(text);
        live.change(s -> {
            s.upload(points);
            return null;
        });
        snapshot(live, 200, true);
    }

    private void exportModel(LiveSession live) throws IOException {
        expect("GET");
        Path file = Files.createTempFile("soma-playground-", ".safetensors");
        try {
            live.read(s -> {
                try {
                    s.export(file);
                } catch (IOException e) {
                    throw new RequestException(500, "could not write the model file: " + e.getMessage());
                }
                return null;
            });
            exchange.getResponseHeaders().set("Content-Type", "application/octet-stream");
            exchange.getResponseHeaders().set("Content-Disposition", "attachment; filename=\"playground.safetensors\"");
            PlaygroundServer.send(exchange, 200, Files.readAllBytes(file));
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private void simulateLif(LiveSession live) throws IOException {
        expect("POST");
        JsonNode body = body(false);
        for (Map.Entry<String, JsonNode> field : body.properties()) {
            if (!LIF_FIELDS.contains(field.getKey())) {
                throw new PlaygroundException("unknown LIF field '" + field.getKey() + "' (expected one of "
                        + String.join(", ", new java.util.TreeSet<>(LIF_FIELDS)) + ")");
            }
        }
        var d = LifProbe.Parameters.defaults(integer(body, "layer"), integer(body, "neuron"), number(body, "x1"),
                number(body, "x2"));
        var parameters = new LifProbe.Parameters(d.layer(), d.neuron(), d.x1(), d.x2(),
                number(body, "scaleMv", d.scaleMv()), number(body, "tauMs", d.tauMs()),
                number(body, "thresholdMv", d.thresholdMv()), number(body, "refractoryMs", d.refractoryMs()),
                number(body, "durationMs", d.durationMs()), number(body, "dtMs", d.dtMs())).validated();
        server.sendJson(exchange, 200, live.read(s -> LifProbe.run(s, parameters)));
    }

    private void snapshot(LiveSession live, int status, boolean withPoints) throws IOException {
        server.sendJson(exchange, status, EventStream.message(live, withPoints));
    }

    // ---- reading requests ----

    private void expect(String expected) {
        if (!method.equals(expected)) {
            throw new RequestException(405, method + " is not allowed here; use " + expected);
        }
    }

    private byte[] read(int limit, String what) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            byte[] bytes = in.readNBytes(limit + 1);
            if (bytes.length > limit) {
                throw new RequestException(413, what + " may have at most " + limit + " bytes");
            }
            return bytes;
        }
    }

    /** The JSON object of the body; an empty body is {} when {@code emptyAllowed}. */
    private JsonNode body(boolean emptyAllowed) throws IOException {
        byte[] bytes = read(Limits.MAX_JSON_BYTES, "a JSON request");
        if (bytes.length == 0 && emptyAllowed) {
            return json.createObjectNode();
        }
        JsonNode node;
        try {
            node = json.readTree(bytes);
        } catch (JsonProcessingException e) {
            throw new PlaygroundException("malformed JSON: " + e.getOriginalMessage());
        }
        if (node == null || !node.isObject()) {
            throw new PlaygroundException("expected a JSON object, got " + (node == null ? "nothing" : node.getNodeType().toString().toLowerCase(java.util.Locale.ROOT)));
        }
        return node;
    }

    /** {@code base} with the fields of {@code changes} replaced; an unknown field is an error. */
    private Settings merge(Settings base, JsonNode changes) {
        ObjectNode merged = json.valueToTree(base);
        for (Map.Entry<String, JsonNode> field : changes.properties()) {
            if (!SETTINGS_FIELDS.contains(field.getKey())) {
                throw new PlaygroundException("unknown setting '" + field.getKey() + "' (expected one of "
                        + String.join(", ", new java.util.TreeSet<>(SETTINGS_FIELDS)) + ")");
            }
            merged.set(field.getKey(), field.getValue());
        }
        try {
            return json.treeToValue(merged, Settings.class);
        } catch (JsonProcessingException e) {
            throw new PlaygroundException("bad settings: " + e.getOriginalMessage());
        }
    }

    private static String text(JsonNode body, String field) {
        JsonNode node = body.get(field);
        if (node == null || !node.isTextual()) {
            throw new PlaygroundException(field + ": expected a string");
        }
        return node.asText();
    }

    private static int integer(JsonNode body, String field) {
        JsonNode node = body.get(field);
        if (node == null || !node.canConvertToInt() || !node.isIntegralNumber()) {
            throw new PlaygroundException(field + ": expected a whole number");
        }
        return node.asInt();
    }

    /** {@code field}'s number, or {@code otherwise} when the body has none. */
    private static double number(JsonNode body, String field, double otherwise) {
        return body.has(field) ? number(body, field) : otherwise;
    }

    private static double number(JsonNode body, String field) {
        JsonNode node = body.get(field);
        if (node == null || !node.isNumber()) {
            throw new PlaygroundException(field + ": expected a number");
        }
        return node.asDouble();
    }
}
