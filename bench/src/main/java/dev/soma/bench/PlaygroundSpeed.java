package dev.soma.bench;

import dev.soma.playground.PlaygroundServer;
import dev.soma.playground.Session;
import dev.soma.playground.Settings;
import dev.soma.playground.Snapshot;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * The playground's speed, two ways:
 *
 * <ul>
 *   <li>{@code steps}: training steps per second of one session with the default network (inputs x₁ and
 *       x₂, hidden layers 4-2 of tanh, batch 10, SGD, 250 training points), in the engine without
 *       HTTP, over {@code seconds} after as long a warm-up; and the time of one snapshot (the 100 × 100
 *       output surface, every neuron's, the evaluation).
 *   <li>{@code sessions N}: N sessions playing at once in one server, each with a client reading its
 *       event stream as the page does; the snapshots each client receives per second (at most about 60:
 *       one every 16 ms) and the process's peak resident memory (VmHWM).
 * </ul>
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp bench/target/soma-bench.jar dev.soma.bench.PlaygroundSpeed steps [seconds]
 * java --add-modules jdk.incubator.vector -cp bench/target/soma-bench.jar dev.soma.bench.PlaygroundSpeed sessions [N] [seconds]
 * </pre>
 */
public final class PlaygroundSpeed {

    private PlaygroundSpeed() {
    }

    public static void main(String[] args) throws Exception {
        String mode = args.length > 0 ? args[0] : "steps";
        if (mode.equals("sessions")) {
            sessions(args.length > 1 ? Integer.parseInt(args[1]) : 20, args.length > 2 ? Integer.parseInt(args[2]) : 10);
        } else {
            steps(args.length > 1 ? Integer.parseInt(args[1]) : 5);
        }
    }

    private static void steps(int seconds) {
        Session session = new Session(Settings.defaults());
        run(session, seconds); // warm-up
        double rate = run(session, seconds);
        System.out.printf(Locale.ROOT, "default network (2 inputs, 4-2 tanh, batch 10): %,.0f steps/s%n", rate);
        for (int i = 0; i < 20; i++) {
            Snapshot.of(session, true);
        }
        long start = System.nanoTime();
        int count = 50;
        for (int i = 0; i < count; i++) {
            Snapshot.of(session, true);
        }
        System.out.printf(Locale.ROOT, "snapshot (100x100 output, every neuron, evaluation): %.2f ms%n",
                (System.nanoTime() - start) / 1e6 / count);
    }

    private static double run(Session session, int seconds) {
        long start = System.nanoTime();
        long end = start + seconds * 1_000_000_000L;
        long steps = 0;
        while (System.nanoTime() < end) {
            session.step(100);
            steps += 100;
        }
        return steps / ((System.nanoTime() - start) / 1e9);
    }

    private static void sessions(int n, int seconds) throws Exception {
        try (PlaygroundServer server = new PlaygroundServer("127.0.0.1", 0, 60_000)) {
            HttpClient client = HttpClient.newHttpClient();
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                String body = client.send(HttpRequest.newBuilder(URI.create(server.url() + "api/sessions"))
                        .POST(HttpRequest.BodyPublishers.ofString("{\"seed\": " + i + "}")).build(),
                        HttpResponse.BodyHandlers.ofString()).body();
                ids.add(body.substring(body.indexOf("\"id\":\"") + 6, body.indexOf("\"", body.indexOf("\"id\":\"") + 6)));
            }
            AtomicIntegerArray received = new AtomicIntegerArray(n);
            List<Thread> readers = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int index = i;
                String id = ids.get(i);
                readers.add(Thread.ofVirtual().start(() -> {
                    try {
                        InputStream stream = client.send(HttpRequest.newBuilder(URI.create(server.url() + "api/sessions/" + id + "/events"))
                                .build(), HttpResponse.BodyHandlers.ofInputStream()).body();
                        try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                            String line;
                            while ((line = reader.readLine()) != null) {
                                if (line.startsWith("data: ")) {
                                    received.incrementAndGet(index);
                                }
                            }
                        }
                    } catch (Exception e) {
                        // the server closed: the measurement is over
                    }
                }));
                client.send(HttpRequest.newBuilder(URI.create(server.url() + "api/sessions/" + id + "/control"))
                        .POST(HttpRequest.BodyPublishers.ofString("{\"action\": \"play\"}")).build(), HttpResponse.BodyHandlers.discarding());
            }
            Thread.sleep(2000); // the JIT warms up
            int[] before = new int[n];
            for (int i = 0; i < n; i++) {
                before[i] = received.get(i);
            }
            Thread.sleep(seconds * 1000L);
            double[] rates = new double[n];
            for (int i = 0; i < n; i++) {
                rates[i] = (received.get(i) - before[i]) / (double) seconds;
            }
            Arrays.sort(rates);
            System.out.printf(Locale.ROOT, "%d sessions playing: updates/s per client min %.1f, median %.1f, max %.1f%n",
                    n, rates[0], rates[n / 2], rates[n - 1]);
            System.out.println("peak resident memory: " + peakRss());
        }
    }

    private static String peakRss() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmHWM:")) {
                return line.substring(6).strip();
            }
        }
        return "unknown (no /proc/self/status)";
    }
}
