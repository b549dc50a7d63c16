package dev.soma.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class PlaygroundCommandTest {

    @Test
    void printsItsAddressOnALineOfItsOwnAndServesThePageUntilStopped() throws Exception {
        AtomicReference<CommandTesting.Run> result = new AtomicReference<>();
        var out = new java.io.StringWriter();
        var err = new java.io.StringWriter();
        Thread serving = Thread.ofPlatform().start(() -> {
            var cmd = Main.commandLine();
            cmd.setOut(new java.io.PrintWriter(out, true));
            cmd.setErr(new java.io.PrintWriter(err, true));
            int code = cmd.execute("playground", "--port", "0", "--json", "--seed", "7");
            result.set(new CommandTesting.Run(code, out.toString(), err.toString()));
        });
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!out.toString().contains("\"port\"") && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        String url = out.toString().lines().filter(l -> l.matches("http://127\\.0\\.0\\.1:\\d+/")).findFirst().orElseThrow(
                () -> new AssertionError("no address line in:\n" + out));
        HttpResponse<String> page = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, page.statusCode());
        assertTrue(page.body().contains("Soma playground"));
        HttpResponse<String> created = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url + "api/sessions"))
                .POST(HttpRequest.BodyPublishers.ofString("")).build(), HttpResponse.BodyHandlers.ofString());
        assertTrue(created.body().contains("\"seed\":7"), "--seed is the new sessions' seed");
        serving.interrupt();
        serving.join(30_000);
        CommandTesting.Run run = result.get();
        assertEquals(0, run.exitCode(), run::toString);
        assertEquals(url, run.json().get("url").asText());
        assertEquals("", run.err());
    }

    @Test
    void aPortOutOfRangeIsAUsageError() {
        CommandTesting.Run run = CommandTesting.run("playground", "--port", "70000");
        assertEquals(2, run.exitCode(), run::toString);
        assertTrue(run.err().startsWith("soma: --port: expected 0 to 65535, got 70000"), run::toString);
    }
}
