package dev.soma.playground;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.soma.io.ModelFile;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The HTTP API, driven by the JDK's HTTP client (and a raw socket where a forged header is needed). */
class PlaygroundServerTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private PlaygroundServer server;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @BeforeEach
    void start() throws Exception {
        server = new PlaygroundServer("127.0.0.1", 0, 60_000);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(server.url() + path.substring(1))).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(server.url() + path.substring(1)))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private String create(String body) throws Exception {
        HttpResponse<String> created = post("/api/sessions", body);
        assertEquals(201, created.statusCode(), created.body());
        return JSON.readTree(created.body()).get("id").asText();
    }

    private static JsonNode json(HttpResponse<String> response) throws Exception {
        return JSON.readTree(response.body());
    }

    @Test
    void theUrlIsLoopbackWithTheBoundPort() {
        assertEquals("http://127.0.0.1:" + server.port() + "/", server.url());
        assertTrue(server.port() > 0);
    }

    @Test
    void aPresetSessionTrainsToEveryTestPointStepByStep() throws Exception {
        String id = create("{\"preset\": \"xor-2-4-1\"}");
        HttpResponse<String> stepped = post("/api/sessions/" + id + "/control", "{\"action\": \"step\", \"steps\": 1500}");
        assertEquals(200, stepped.statusCode(), stepped.body());
        JsonNode snapshot = json(stepped).get("snapshot");
        assertEquals(1500, snapshot.get("step").asLong());
        assertEquals(1.0, snapshot.get("evaluation").get("testAccuracy").asDouble());
        assertEquals(3, snapshot.get("layers").size()); // inputs, hidden, output
        assertEquals(4, snapshot.get("layers").get(1).get("weights").size());

        JsonNode reset = json(post("/api/sessions/" + id + "/control", "{\"action\": \"reset\"}")).get("snapshot");
        assertEquals(0, reset.get("step").asLong());
    }

    @Test
    void settingsChangeOneFieldAtATimeAndBadOnesSayWhy() throws Exception {
        String id = create("");
        JsonNode changed = json(post("/api/sessions/" + id + "/settings", "{\"layers\": [3], \"activations\": [\"relu\"]}"));
        assertEquals("circle", changed.get("snapshot").get("settings").get("dataset").asText());
        assertEquals(3, changed.get("snapshot").get("layers").get(1).get("neurons").size());

        HttpResponse<String> tooWide = post("/api/sessions/" + id + "/settings", "{\"layers\": [17], \"activations\": [\"relu\"]}");
        assertEquals(400, tooWide.statusCode());
        assertEquals("neurons in hidden layer 1 must be between 1 and 16, got 17", json(tooWide).get("error").asText());

        HttpResponse<String> unknown = post("/api/sessions/" + id + "/settings", "{\"colour\": 1}");
        assertEquals(400, unknown.statusCode());
        assertTrue(json(unknown).get("error").asText().startsWith("unknown setting 'colour'"));

        HttpResponse<String> malformed = post("/api/sessions/" + id + "/settings", "{\"layers\": [3,");
        assertEquals(400, malformed.statusCode());
        assertTrue(json(malformed).get("error").asText().startsWith("malformed JSON"), malformed.body());

        HttpResponse<String> wrongType = post("/api/sessions/" + id + "/settings", "{\"noise\": \"loud\"}");
        assertEquals(400, wrongType.statusCode());

        HttpResponse<String> badAction = post("/api/sessions/" + id + "/control", "{\"action\": \"fly\"}");
        assertEquals(400, badAction.statusCode());
        assertTrue(json(badAction).get("error").asText().contains("expected play, pause, step or reset"));

        assertEquals(404, get("/api/sessions/nosuchsession").statusCode());
    }

    @Test
    void anEditedWeightAndAClickedPointShowInTheSnapshot() throws Exception {
        String id = create("{\"preset\": \"xor-2-4-1\"}");
        JsonNode edited = json(post("/api/sessions/" + id + "/weight", "{\"layer\": 0, \"to\": 1, \"from\": 0, \"value\": 2.5}"));
        assertEquals(2.5, edited.get("snapshot").get("layers").get(1).get("weights").get(1).get(0).asDouble());
        JsonNode bias = json(post("/api/sessions/" + id + "/weight", "{\"layer\": 1, \"to\": 0, \"bias\": true, \"value\": -1}"));
        assertEquals(-1.0, bias.get("snapshot").get("layers").get(2).get("biases").get(0).asDouble());
        assertEquals(400, post("/api/sessions/" + id + "/weight", "{\"layer\": 5, \"to\": 0, \"from\": 0, \"value\": 1}").statusCode());

        JsonNode added = json(post("/api/sessions/" + id + "/points", "{\"x1\": 0.5, \"x2\": 0.25, \"label\": 1}"));
        assertEquals(101, added.get("snapshot").get("points").size());
        assertEquals("custom", added.get("snapshot").get("settings").get("dataset").asText());
    }

    @Test
    void aCsvReplacesThePointsAndABrokenOneNamesItsLine() throws Exception {
        String id = create("");
        HttpResponse<String> good = post("/api/sessions/" + id + "/csv", "x1,x2,label\n0,0,0\n1,1,1\n0,1,1\n1,0,0\n");
        assertEquals(200, good.statusCode(), good.body());
        assertEquals(4, json(good).get("snapshot").get("points").size());

        HttpResponse<String> broken = post("/api/sessions/" + id + "/csv", "x1,x2,label\n0,0,0\n1,one,1\n");
        assertEquals(400, broken.statusCode());
        assertEquals("line 3: 'one' is not a number", json(broken).get("error").asText());
        HttpResponse<String> short_ = post("/api/sessions/" + id + "/csv", "0,0\n");
        assertEquals("line 1: expected 3 values x1,x2,label, got 2 ('0,0')", json(short_).get("error").asText());
        assertEquals(413, post("/api/sessions/" + id + "/csv", "0,0,0\n".repeat(Limits.MAX_CSV_BYTES / 6 + 1)).statusCode());

        // the session still has the good points
        assertEquals(4, json(get("/api/sessions/" + id)).get("snapshot").get("points").size());
    }

    @Test
    void theLifRouteDrivesASpikingNeuronWithTheNeuronsWeightedSum() throws Exception {
        String id = create("{\"preset\": \"neuron-and\"}");
        post("/api/sessions/" + id + "/weight", "{\"layer\": 0, \"to\": 0, \"from\": 0, \"value\": 2}");
        post("/api/sessions/" + id + "/weight", "{\"layer\": 0, \"to\": 0, \"from\": 1, \"value\": 1}");
        post("/api/sessions/" + id + "/weight", "{\"layer\": 0, \"to\": 0, \"bias\": true, \"value\": 0.5}");
        HttpResponse<String> answer = post("/api/sessions/" + id + "/lif",
                "{\"layer\": 1, \"neuron\": 0, \"x1\": 1.5, \"x2\": 0.5, \"tauMs\": 10, \"thresholdMv\": 20, \"durationMs\": 500}");
        assertEquals(200, answer.statusCode(), answer.body());
        JsonNode lif = json(answer);
        assertEquals(4.0, lif.get("z").asDouble(), 1e-6);                       // 2·1.5 + 1·0.5 + 0.5
        assertEquals(1 / (1 + Math.exp(-4.0)), lif.get("output").asDouble(), 1e-6);
        assertEquals(40.0, lif.get("currentMv").asDouble(), 1e-5);             // the default 10 mV per unit of z
        double closedForm = 1000 / (2 + 10 * Math.log(40.0 / (40 - 20)));      // t_ref 2 ms by default: 112.6 Hz
        assertEquals(closedForm, lif.get("closedFormRateHz").asDouble(), 1e-6);
        assertEquals(5000, lif.get("membraneMv").size());                       // 500 ms in 0.1 ms steps
        assertEquals(closedForm, lif.get("spikeTimesMs").size() / 0.5, 0.05 * closedForm);

        HttpResponse<String> unknown = post("/api/sessions/" + id + "/lif", "{\"layer\": 1, \"neuron\": 0, \"x1\": 0, \"x2\": 0, \"tau\": 5}");
        assertEquals(400, unknown.statusCode());
        assertTrue(json(unknown).get("error").asText().startsWith("unknown LIF field 'tau'"), unknown.body());
        HttpResponse<String> noLayer = post("/api/sessions/" + id + "/lif", "{\"layer\": 3, \"neuron\": 0, \"x1\": 0, \"x2\": 0}");
        assertEquals(400, noLayer.statusCode());
        assertEquals("layer must be between 1 and 1 (the output), got 3", json(noLayer).get("error").asText());
        HttpResponse<String> missing = post("/api/sessions/" + id + "/lif", "{\"layer\": 1, \"neuron\": 0}");
        assertEquals("x1: expected a number", json(missing).get("error").asText());
    }

    @Test
    void theExportedModelIsASomaModelFile(@TempDir Path dir) throws Exception {
        String id = create("{\"preset\": \"xor-2-4-1\"}");
        post("/api/sessions/" + id + "/control", "{\"action\": \"step\", \"steps\": 100}");
        HttpResponse<byte[]> model = client.send(HttpRequest.newBuilder(URI.create(server.url() + "api/sessions/" + id + "/model")).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, model.statusCode());
        Path file = dir.resolve("m.safetensors");
        Files.write(file, model.body());
        ModelFile saved = ModelFile.load(file);
        assertEquals("[2]", java.util.Arrays.toString(saved.spec().input()));
        assertEquals("100", saved.metadata().get("soma.playground.step"));
    }

    @Test
    void theStreamSendsSnapshotsWhilePlayingAndAnAbandonedSessionIsFreed() throws Exception {
        server.close();
        server = new PlaygroundServer("127.0.0.1", 0, 2_000); // freed 2 s after its stream closes
        String id = create("");
        HttpResponse<InputStream> stream = client.send(HttpRequest.newBuilder(URI.create(server.url() + "api/sessions/" + id + "/events")).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertEquals("text/event-stream; charset=utf-8", stream.headers().firstValue("Content-Type").orElse(""));
        post("/api/sessions/" + id + "/control", "{\"action\": \"play\"}");
        long lastStep = -1;
        int events = 0;
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8))) {
            String line;
            while (events < 4 && (line = reader.readLine()) != null) {
                if (line.startsWith("data: ")) {
                    JsonNode message = JSON.readTree(line.substring(6));
                    long step = message.get("snapshot").get("step").asLong();
                    assertTrue(step >= lastStep, "steps only go forward");
                    lastStep = step;
                    events++;
                    assertEquals(events == 1, message.get("snapshot").get("points").isArray(), "points in the first event only");
                }
            }
        }
        assertTrue(lastStep > 0, "training went on while playing");
        // The stream is closed and no request comes: after the idle time the session is freed.
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (server.sessionCount() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertEquals(0, server.sessionCount());
    }

    @Test
    void aForeignHostOrOriginIsRefused() throws Exception {
        assertTrue(raw("GET / HTTP/1.1\r\nHost: evil.example:" + server.port() + "\r\nConnection: close\r\n\r\n").startsWith("HTTP/1.1 403"));
        assertTrue(raw("POST /api/sessions HTTP/1.1\r\nHost: 127.0.0.1:" + server.port()
                + "\r\nOrigin: http://evil.example\r\nContent-Length: 0\r\nConnection: close\r\n\r\n").startsWith("HTTP/1.1 403"));
        assertEquals(0, server.sessionCount());
        assertTrue(raw("GET / HTTP/1.1\r\nHost: localhost:" + server.port() + "\r\nConnection: close\r\n\r\n").startsWith("HTTP/1.1 200"));
        HttpResponse<String> ownOrigin = client.send(HttpRequest.newBuilder(URI.create(server.url() + "api/presets"))
                .header("Origin", "http://127.0.0.1:" + server.port()).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, ownOrigin.statusCode());
    }

    @Test
    void onlyThePagesFilesAreServed() throws Exception {
        HttpResponse<String> page = get("/");
        assertEquals(200, page.statusCode());
        assertTrue(page.body().contains("<title>Soma playground</title>"));
        assertEquals(200, get("/playground.js").statusCode());
        assertEquals(200, get("/playground.css").statusCode());
        for (String path : new String[] {"/../pom.xml", "/%2e%2e/%2e%2e/pom.xml", "/web/index.html", "/dev/soma/playground/Session.class"}) {
            assertTrue(raw("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + server.port() + "\r\nConnection: close\r\n\r\n")
                    .matches("(?s)HTTP/1.1 (400|404).*"), path);
        }
    }

    @Test
    void theSessionLimitIsA503ThatLeavesOthersServed() throws Exception {
        server.close();
        server = new PlaygroundServer("127.0.0.1", 0, 600_000); // no session is freed while the test runs
        String first = create("{\"points\": 20}");
        for (int i = 1; i < Limits.MAX_SESSIONS; i++) {
            create("{\"points\": 20}");
        }
        HttpResponse<String> refused = post("/api/sessions", "{\"points\": 20}");
        assertEquals(503, refused.statusCode());
        assertTrue(json(refused).get("error").asText().contains("limit of " + Limits.MAX_SESSIONS + " sessions"));
        assertEquals(200, get("/api/sessions/" + first).statusCode());
    }

    /** Sends {@code request} as it is and returns the whole answer. */
    private String raw(String request) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.UTF_8));
            out.flush();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
