package dev.soma.spark;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/**
 * What a command checks before and after it connects to a Spark master, so that a wrong URL or a
 * cluster without free workers is one clear error within seconds instead of a hang: Spark's own
 * client retries an unreachable master for a minute, and a job on a cluster with no executor waits
 * forever ("Initial job has not accepted any resources").
 */
public final class Masters {

    private Masters() {
    }

    /**
     * Checks that a {@code spark://host:port[,host:port…]} master accepts connections (one of its
     * hosts within {@code timeout}); other masters ({@code local[…]}, {@code yarn}) pass.
     *
     * @throws IOException naming the URL and the reason when no host answers
     * @throws IllegalArgumentException when the URL is not of that form
     */
    public static void checkReachable(String master, Duration timeout) throws IOException {
        if (!master.startsWith("spark://")) {
            return;
        }
        List<String> failures = new ArrayList<>();
        for (String hostPort : master.substring("spark://".length()).split(",")) {
            URI uri = URI.create("spark://" + hostPort);
            if (uri.getHost() == null || uri.getPort() < 0) {
                throw new IllegalArgumentException("--master " + master + ": expected spark://HOST:PORT");
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), (int) timeout.toMillis());
                return;
            } catch (IOException e) {
                failures.add(hostPort + ": " + e.getMessage());
            }
        }
        throw new IOException("cannot reach the Spark master " + master + " (" + String.join("; ", failures)
                + "); is it running? (start it with Spark's sbin/start-master.sh, docs/SPARK.md)");
    }

    /**
     * Waits until at least one executor has joined {@code session} (at once for a local master).
     *
     * @throws IOException when none joined within {@code timeout}, saying what a worker must offer
     */
    public static void awaitExecutor(SparkSession session, Duration timeout) throws IOException, InterruptedException {
        if (session.sparkContext().isLocal()) {
            return;
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (session.sparkContext().statusTracker().getExecutorInfos().length < 2) { // the driver is one
            if (System.nanoTime() > deadline) {
                throw new IOException("no executor joined within " + timeout.toSeconds() + " s: the master "
                        + session.sparkContext().master() + " has no worker with a free core and "
                        + session.sparkContext().getConf().get("spark.executor.memory", "1g")
                        + " of memory (spark.executor.memory) for this application");
            }
            Thread.sleep(100);
        }
    }

    /**
     * The settings a command adds for {@code master}: for a cluster, the jar holding Soma's classes
     * as {@code spark.jars}, so the executors load them (unless {@code spark-submit} already set it):
     * {@code soma-spark.jar} when it lies beside the running {@code soma.jar} (Soma's Jackson
     * relocated, so a cluster's own Jackson does not shadow it), else the running jar.
     */
    public static Map<String, String> settings(String master) {
        if (master.startsWith("local") || System.getProperty("spark.jars") != null) {
            return Map.of();
        }
        try {
            Path jar = Path.of(Masters.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (!jar.toString().endsWith(".jar")) {
                return Map.of();
            }
            Path forClusters = jar.resolveSibling("soma-spark.jar");
            return Map.of("spark.jars", (java.nio.file.Files.isRegularFile(forClusters) ? forClusters : jar).toString());
        } catch (java.net.URISyntaxException | RuntimeException e) {
            return Map.of();
        }
    }
}
