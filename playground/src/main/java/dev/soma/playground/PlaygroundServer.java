package dev.soma.playground;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The playground's web server: the page (three files from the class path) and a JSON API over
 * {@link Session}s, with each session's snapshots streamed as server-sent events.
 *
 * <p><b>Why the JDK's {@code HttpServer}.</b> The server serves three static files, a dozen JSON
 * routes and one event stream per page; {@code com.sun.net.httpserver} with a virtual thread per
 * exchange does all of it (an event stream is a blocking loop on its own virtual thread), and adds
 * nothing to the shaded {@code soma.jar}, where Javalin 7 would bring Jetty 12 and Kotlin's standard
 * library (several MB) for routing we write in one switch.
 *
 * <p><b>Safety.</b> It binds loopback unless told otherwise. Every request must name this server in
 * {@code Host} (127.0.0.1, localhost or [::1] or the bound host, with the port), and a request with an
 * {@code Origin} must come from such a page, so a page on another site cannot drive it even through
 * DNS rebinding (403 otherwise). Static files come from a fixed list of names, so no path reaches
 * anything else. Bodies, sessions and settings have limits ({@link Limits}); beyond one, or for
 * malformed JSON, the answer is a 4xx whose JSON body {@code {"error": "..."}} says what is wrong.
 * Sessions whose page has gone (no open event stream and no request for a while) are freed.
 *
 * <p>The API, under {@code /api}:
 * <pre>
 * GET    /presets                          the presets' settings, by name
 * POST   /sessions                         {settings…} or {"preset": name} → 201 {"id", "snapshot"}
 * GET    /sessions/ID                      the snapshot, points included
 * DELETE /sessions/ID                      frees the session
 * POST   /sessions/ID/settings             {some settings} → the snapshot (fields not given are kept)
 * POST   /sessions/ID/control              {"action": "play" | "pause" | "step" | "reset", "steps": n}
 * POST   /sessions/ID/weight               {"layer", "to", "from", "value"}, or {"layer", "to", "bias": true, "value"}
 * POST   /sessions/ID/points               {"x1", "x2", "label"}
 * POST   /sessions/ID/csv                  text: x1,x2,label lines (400 names the bad line)
 * GET    /sessions/ID/model                the network as a Soma model file (safetensors)
 * POST   /sessions/ID/lif                  {"layer", "neuron", "x1", "x2", LIF parameters…} → the neuron's
 *                                          z and σ(z) beside a LIF neuron's trace and spikes ({@link LifProbe})
 * GET    /sessions/ID/events               server-sent events: "snapshot", at most every 16 ms
 * </pre>
 */
public final class PlaygroundServer implements AutoCloseable {

    /** The page's files, the only ones served. */
    private static final Map<String, String> STATIC = Map.of(
            "/", "index.html",
            "/index.html", "index.html",
            "/playground.js", "playground.js",
            "/playground.css", "playground.css");
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8");
    /**
     * The shortest time between two snapshots on one stream: 16 ms, about one per animation frame of a
     * 60 Hz display. Snapshots do not reach the page evenly spaced (two sometimes land in one animation
     * frame, which draws only the latest), so at 25 ms a page drew 25 frames/s; at 16 ms it draws 40
     * (docs/PERFORMANCE.md, "Playground").
     */
    static final long EVENT_INTERVAL_MILLIS = 16;

    final ObjectMapper json = new ObjectMapper();
    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    /**
     * The threads that train, one fewer than the cores (at least one), so that a core is left for
     * requests and snapshots. Platform threads, not virtual ones: a virtual thread computing without
     * blocking keeps its carrier, and requests waited behind the trainers for minutes.
     */
    private final int trainerThreads = Math.max(1, Runtime.getRuntime().availableProcessors() - 1);
    private final ExecutorService trainerPool = Executors.newFixedThreadPool(
            trainerThreads, Thread.ofPlatform().daemon().name("playground-trainer-", 0).factory());
    private final Trainers trainers = new Trainers(trainerPool, trainerThreads);
    private final Map<String, LiveSession> sessions = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();
    private final Set<String> hosts;
    private final long idleNanos;
    private final Thread reaper;
    private final String url;
    private final Settings defaults;

    /**
     * Starts a server on {@code host}:{@code port} (port 0: a free one).
     *
     * @param idleMillis how long a session without an event stream or a request lives
     */
    public PlaygroundServer(String host, int port, long idleMillis) throws IOException {
        this(host, port, idleMillis, Settings.defaults());
    }

    /**
     * Starts a server whose new sessions start from {@code defaults} (a request's settings replace
     * them field by field).
     */
    public PlaygroundServer(String host, int port, long idleMillis, Settings defaults) throws IOException {
        this.defaults = defaults.validated();
        InetAddress address = InetAddress.getByName(host);
        server = HttpServer.create(new InetSocketAddress(address, port), 0);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
        int bound = server.getAddress().getPort();
        String named = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
        hosts = new LinkedHashSet<>(List.of("127.0.0.1:" + bound, "localhost:" + bound, "[::1]:" + bound,
                named.toLowerCase(Locale.ROOT) + ":" + bound));
        url = "http://" + named + ":" + bound + "/";
        idleNanos = idleMillis * 1_000_000;
        reaper = Thread.ofVirtual().name("playground-reaper").start(this::reap);
    }

    /** {@code http://HOST:PORT/}. */
    public String url() {
        return url;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** The settings a new session starts from. */
    Settings defaults() {
        return defaults;
    }

    /** The sessions alive now. */
    public int sessionCount() {
        return sessions.size();
    }

    @Override
    public void close() {
        reaper.interrupt();
        sessions.values().forEach(LiveSession::close);
        sessions.clear();
        server.stop(0);
        trainerPool.shutdownNow();
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void reap() {
        while (!Thread.currentThread().isInterrupted()) {
            try {
                Thread.sleep(Math.max(10, Math.min(1000, idleNanos / 4_000_000)));
            } catch (InterruptedException e) {
                return;
            }
            sessions.values().removeIf(s -> {
                boolean gone = s.abandoned(idleNanos);
                if (gone) {
                    s.close();
                }
                return gone;
            });
        }
    }

    private void handle(HttpExchange exchange) {
        try {
            var response = exchange.getResponseHeaders();
            response.set("X-Content-Type-Options", "nosniff");
            response.set("Content-Security-Policy", "default-src 'self'; img-src 'self' data: blob:");
            response.set("Referrer-Policy", "no-referrer");
            response.set("Cache-Control", "no-store");
            String refusal = refusal(exchange);
            if (refusal != null) {
                error(exchange, 403, refusal);
                return;
            }
            String path = exchange.getRequestURI().getPath();
            if (path.startsWith("/api/")) {
                new Api(this, exchange).serve(path.substring("/api".length()));
            } else {
                serveStatic(exchange, path);
            }
        } catch (PlaygroundException e) {
            error(exchange, 400, e.getMessage());
        } catch (RequestException e) {
            error(exchange, e.status, e.getMessage());
        } catch (IOException e) {
            // the client went away; nothing to answer
        } catch (RuntimeException e) {
            error(exchange, 500, "soma playground: " + e);
        } finally {
            exchange.close();
        }
    }

    /** Why this request may not be served (a foreign Host or Origin), or null when it may. */
    private String refusal(HttpExchange exchange) {
        String host = exchange.getRequestHeaders().getFirst("Host");
        if (host == null || !ours(host)) {
            return "Host '" + host + "' is not this server (expected one of " + String.join(", ", hosts) + ")";
        }
        String origin = exchange.getRequestHeaders().getFirst("Origin");
        if (origin != null && !(origin.startsWith("http://") && ours(origin.substring("http://".length())))) {
            return "requests from pages of " + origin + " are not allowed";
        }
        return null;
    }

    /**
     * Whether {@code host} ({@code name:port}) names this server: one of {@link #hosts}, or any IP
     * address with this port (an address cannot be rebound to another machine by DNS; this lets a
     * server started with {@code --host 0.0.0.0} serve a classroom by its address).
     */
    private boolean ours(String host) {
        String lower = host.toLowerCase(Locale.ROOT);
        if (hosts.contains(lower)) {
            return true;
        }
        String suffix = ":" + port();
        return lower.endsWith(suffix) && IP_LITERAL.matcher(lower.substring(0, lower.length() - suffix.length())).matches();
    }

    private void serveStatic(HttpExchange exchange, String path) throws IOException {
        if (!exchange.getRequestMethod().equals("GET") && !exchange.getRequestMethod().equals("HEAD")) {
            throw new RequestException(405, exchange.getRequestMethod() + " " + path + ": only GET serves files");
        }
        String name = STATIC.get(path);
        if (name == null) {
            throw new RequestException(404, "no such file: " + path);
        }
        byte[] body;
        try (InputStream in = PlaygroundServer.class.getResourceAsStream("web/" + name)) {
            if (in == null) {
                throw new RequestException(500, "the page's file " + name + " is missing from the jar");
            }
            body = in.readAllBytes();
        }
        exchange.getResponseHeaders().set("Content-Type", TYPES.get(name.substring(name.lastIndexOf('.') + 1)));
        send(exchange, 200, body);
    }

    // ---- sessions, for Api ----

    LiveSession create(Settings settings) {
        if (sessions.size() >= Limits.MAX_SESSIONS) {
            throw new RequestException(503, "the server holds its limit of " + Limits.MAX_SESSIONS
                    + " sessions; close a page or wait until an idle one is freed");
        }
        Session session = new Session(settings);
        byte[] bytes = new byte[16];
        random.nextBytes(bytes);
        LiveSession live = new LiveSession(HexFormat.of().formatHex(bytes), session, trainers);
        sessions.put(live.id, live);
        return live;
    }

    LiveSession find(String id) {
        LiveSession live = sessions.get(id);
        if (live == null) {
            throw new RequestException(404, "no session " + id + " (it may have been freed after its page went away)");
        }
        return live;
    }

    void remove(String id) {
        LiveSession live = sessions.remove(id);
        if (live != null) {
            live.close();
        }
    }

    // ---- answers ----

    void sendJson(HttpExchange exchange, int status, Object value) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        send(exchange, status, json.writeValueAsBytes(value));
    }

    private void error(HttpExchange exchange, int status, String message) {
        try {
            Map<String, String> body = new LinkedHashMap<>();
            body.put("error", message);
            sendJson(exchange, status, body);
        } catch (IOException | RuntimeException e) {
            // the response was already started, or the client went away
        }
    }

    static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
        boolean head = exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(status, head ? -1 : body.length == 0 ? -1 : body.length);
        if (!head && body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    /** A dotted IPv4 address or a bracketed IPv6 one. */
    private static final Pattern IP_LITERAL = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}|\\[[0-9a-f:.]+\\]");

    /** A request the server refuses, with its HTTP status. */
    static final class RequestException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final int status;

        RequestException(int status, String message) {
            super(message);
            this.status = status;
        }
    }
}
