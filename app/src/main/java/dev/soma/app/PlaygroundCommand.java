package dev.soma.app;

import dev.soma.playground.PlaygroundServer;
import dev.soma.playground.Settings;
import java.awt.Desktop;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.BindException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code soma playground}: the web playground, served until Ctrl-C. */
@Command(
        name = "playground",
        mixinStandardHelpOptions = true,
        description = {
            "Watch neurons learn in the browser.",
            "Serves the playground page and trains its networks in Java; prints the",
            "address (http://HOST:PORT/) on a line of its own and runs until Ctrl-C.",
            "The page works offline: everything it needs is served by Soma."})
public final class PlaygroundCommand implements Callable<Integer> {

    /** How long a session lives after its page has gone: a minute (a page reload reconnects sooner). */
    static final long IDLE_MILLIS = 60_000;

    @Spec
    CommandSpec spec;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "8080",
            description = "The port to listen on; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--host", paramLabel = "HOST", defaultValue = "127.0.0.1",
            description = "The address to listen on (default: ${DEFAULT-VALUE}: this machine only;"
                    + " 0.0.0.0: the network, e.g. a classroom).")
    String host;

    @Option(names = "--open", description = "Open the page in the desktop's browser.")
    boolean open;

    // NOTE: the options that every command shares are written once, in Options; each command still
    // names the mixins it takes, so these lines repeat from command to command.
    @Mixin
    Options.Seed seed;

    @Mixin
    Options.Json json;

    @Override
    public Integer call() throws Exception {
        if (port < 0 || port > 65535) {
            throw new ParameterException(spec.commandLine(), "--port: expected 0 to 65535, got " + port);
        }
        InetAddress address;
        try {
            address = InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            throw new ParameterException(spec.commandLine(), "--host: unknown host '" + host + "'");
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Settings d = Settings.defaults();
        Settings defaults = new Settings(d.dataset(), d.points(), d.noise(), d.trainPercent(), d.batchSize(), seed.value,
                d.features(), d.layers(), d.activations(), d.optimizer(), d.learningRate(), d.regularization(),
                d.regularizationRate(), d.dropout());
        PlaygroundServer server;
        try {
            server = new PlaygroundServer(host, port, IDLE_MILLIS, defaults);
        } catch (BindException e) {
            throw new IOException("cannot listen on " + host + ":" + port + " (" + e.getMessage()
                    + "); choose another port with --port, or --port 0 for a free one", e);
        }
        Thread closeOnExit = new Thread(server::close, "playground-shutdown");
        Runtime.getRuntime().addShutdownHook(closeOnExit);
        try {
            if (!address.isLoopbackAddress()) {
                err.println("soma: serving on " + host + ": other machines can reach the playground");
                err.flush();
            }
            out.println("Soma playground: open this address in a browser (Ctrl-C stops it):");
            out.println(server.url());
            if (open) {
                openBrowser(server.url(), err);
            }
            if (json.enabled) {
                Map<String, Object> result = new LinkedHashMap<>();
                result.put("url", server.url());
                result.put("host", host);
                result.put("port", server.port());
                result.put("seed", seed.value);
                out.println(Json.line(result));
            }
            out.flush();
            new CountDownLatch(1).await(); // until Ctrl-C (the hook closes the server) or an interrupt
        } catch (InterruptedException e) {
            // stopped by the caller (tests interrupt the thread)
        } finally {
            server.close();
            try {
                Runtime.getRuntime().removeShutdownHook(closeOnExit);
            } catch (IllegalStateException e) {
                // the JVM is already shutting down: the hook runs anyway
            }
        }
        return 0;
    }

    /** Asks the desktop to open {@code url}; says so, without failing, where there is no desktop. */
    private static void openBrowser(String url, PrintWriter err) {
        try {
            if (Desktop.isDesktopSupported() && Desktop.getDesktop().isSupported(Desktop.Action.BROWSE)) {
                Desktop.getDesktop().browse(URI.create(url));
                return;
            }
            new ProcessBuilder("xdg-open", url).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            err.println("soma: could not open a browser (" + e.getMessage() + "); open " + url + " yourself");
            err.flush();
        }
    }
}
