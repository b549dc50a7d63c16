package dev.soma.playground;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A page's server-sent event stream: an {@code event: snapshot} whenever the session changes, at most
 * one every {@link PlaygroundServer#EVENT_INTERVAL_MILLIS} ms, the points only when they changed since
 * the last one sent; a comment line every 15 s keeps the connection open. It ends when the client goes
 * away (a write fails) or the session is freed.
 */
final class EventStream {

    private final PlaygroundServer server;
    private final HttpExchange exchange;
    private final LiveSession live;

    EventStream(PlaygroundServer server, HttpExchange exchange, LiveSession live) {
        this.server = server;
        this.exchange = exchange;
        this.live = live;
    }

    /** The JSON message of a snapshot: the snapshot, whether training plays, and why it stopped. */
    static Map<String, Object> message(LiveSession live, boolean withPoints) {
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("id", live.id);
        message.put("playing", live.playing());
        message.put("error", live.trainingError());
        message.put("snapshot", live.read(s -> Snapshot.of(s, withPoints)));
        return message;
    }

    void run() throws IOException {
        if (!exchange.getRequestMethod().equals("GET")) {
            throw new PlaygroundServer.RequestException(405, "the event stream takes GET");
        }
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
        exchange.sendResponseHeaders(200, 0);
        live.streamOpened();
        try (OutputStream out = exchange.getResponseBody()) {
            long seen = -1;
            int dataVersion = -1;
            long sentAt = System.nanoTime() - PlaygroundServer.EVENT_INTERVAL_MILLIS * 1_000_000;
            while (!live.closed()) {
                long version = live.version();
                if (version != seen) {
                    // the interval runs from one send to the next, the snapshot's own time inside it
                    long wait = PlaygroundServer.EVENT_INTERVAL_MILLIS * 1_000_000 - (System.nanoTime() - sentAt);
                    if (wait > 0) {
                        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                        version = live.version();
                    }
                    sentAt = System.nanoTime();
                    seen = version;
                    int current = live.read(Session::dataVersion);
                    Map<String, Object> message = message(live, current != dataVersion);
                    dataVersion = current;
                    out.write(("event: snapshot\ndata: " + server.json.writeValueAsString(message) + "\n\n")
                            .getBytes(StandardCharsets.UTF_8));
                    out.flush();
                } else if (live.awaitChange(seen, 15_000) == seen && !live.closed()) {
                    out.write(": still here\n\n".getBytes(StandardCharsets.UTF_8));
                    out.flush();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            live.streamClosed();
        }
    }
}
