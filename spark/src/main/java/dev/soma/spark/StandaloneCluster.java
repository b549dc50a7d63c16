package dev.soma.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.apache.spark.launcher.JavaModuleOptions;
import org.apache.spark.sql.SparkSession;

/**
 * A Spark standalone cluster on this machine, for tests and benchmarks ({@code StandaloneClusterTest},
 * {@code bench}'s {@code SparkScaling}): a master and {@code workers} workers of one core each, each a
 * JVM of its own running Spark's {@code org.apache.spark.deploy.master.Master} and
 * {@code …worker.Worker} from this JVM's class path, bound to 127.0.0.1 on free ports, with small
 * memory and a temporary Spark home and work folders. {@link #close} stops every process it started
 * and their children (the executors), also when the caller fails.
 *
 * <pre>{@code
 * try (StandaloneCluster cluster = StandaloneCluster.start(2, Duration.ofSeconds(90))) {
 *     SparkSession spark = SparkSessions.start(cluster.masterUrl(), "name", cluster.driverSettings());
 *     cluster.awaitExecutors(spark, 2, Duration.ofSeconds(120));
 *     ...
 *     spark.stop();
 * }
 * }</pre>
 *
 * <p>A worker starts its executors as {@code $JAVA_HOME/bin/java -cp $SPARK_HOME/jars/*}; the Spark
 * home made here has a {@code jars} folder of links to this class path's jars, so the executors run
 * the same Spark (and a jar of Soma on the class path, as a benchmark's, is there too). Soma's
 * classes in class path folders (a Maven build's {@code target/classes}) are put in one jar,
 * {@link #applicationJar}, which the driver hands out with {@code spark.jars}, as {@code spark-submit}
 * does with Soma's shaded jar on a real cluster. Not for production: it is a test harness.
 */
public final class StandaloneCluster implements AutoCloseable {

    /** What each worker offers by default, and so each executor's heap. */
    public static final String WORKER_MEMORY = "512m";

    private final Path home;
    private final List<Process> processes = new ArrayList<>();
    private final List<Path> logs = new ArrayList<>();
    private final int port;
    private final Path applicationJar;
    private final String workerMemory;
    private final Thread shutdownHook = new Thread(this::stopAll, "stop-standalone-cluster");

    private StandaloneCluster(Path home, int port, Path applicationJar, String workerMemory) {
        this.home = home;
        this.port = port;
        this.applicationJar = applicationJar;
        this.workerMemory = workerMemory;
    }

    /** As {@link #start(int, String, Duration)} with {@link #WORKER_MEMORY} a worker. */
    public static StandaloneCluster start(int workers, Duration timeout) throws IOException, InterruptedException {
        return start(workers, WORKER_MEMORY, timeout);
    }

    /**
     * Starts a master and {@code workers} workers of one core and {@code workerMemory} each (Spark's
     * size syntax: {@code 512m}, {@code 1g}); returns once the master accepts connections, while the
     * workers are still starting (a driver can start meanwhile: the workers register and lend it
     * executors as they come up).
     *
     * @throws IllegalStateException with the processes' logs when the master is not up within {@code timeout}
     */
    public static StandaloneCluster start(int workers, String workerMemory, Duration timeout)
            throws IOException, InterruptedException {
        Path home = Files.createTempDirectory("soma-spark-cluster-");
        List<Path> classPath = classPath();
        Path jars = Files.createDirectories(home.resolve("spark-home/jars"));
        List<Path> folders = new ArrayList<>();
        for (Path entry : classPath) {
            if (Files.isDirectory(entry)) {
                folders.add(entry);
            } else if (entry.toString().endsWith(".jar") && Files.isRegularFile(entry)) {
                Path link = jars.resolve(entry.getFileName());
                if (!Files.exists(link)) {
                    Files.createSymbolicLink(link, entry);
                }
            }
        }
        Path applicationJar = folders.isEmpty() ? null : jarOf(folders, home.resolve("soma-classes.jar"));
        StandaloneCluster cluster = new StandaloneCluster(home, freePort(), applicationJar, workerMemory);
        Runtime.getRuntime().addShutdownHook(cluster.shutdownHook);
        try {
            cluster.launch("master", List.of("org.apache.spark.deploy.master.Master", "--host", "127.0.0.1",
                    "--port", Integer.toString(cluster.port), "--webui-port", "0"));
            for (int i = 1; i <= workers; i++) {
                Path work = Files.createDirectories(home.resolve("worker-" + i));
                cluster.launch("worker-" + i, List.of("org.apache.spark.deploy.worker.Worker", "--host", "127.0.0.1",
                        "--port", "0", "--webui-port", "0", "--cores", "1", "--memory", workerMemory,
                        "--work-dir", work.toString(), cluster.masterUrl()));
            }
            cluster.awaitMaster(timeout);
            return cluster;
        } catch (IOException | InterruptedException | RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    /** The master's URL, {@code spark://127.0.0.1:PORT}. */
    public String masterUrl() {
        return "spark://127.0.0.1:" + port;
    }

    /**
     * A jar of Soma's classes (this class path's folders) for {@code spark.jars}; null when the class
     * path has no folders (Soma then comes as a jar, which the executors' class path holds).
     */
    public Path applicationJar() {
        return applicationJar;
    }

    /**
     * The settings a driver needs for this cluster ({@link SparkSessions#start(String, String, Map)}):
     * {@code spark.jars} (the {@link #applicationJar}, if any), the executors' memory (the workers'),
     * and the driver bound to 127.0.0.1.
     */
    public Map<String, String> driverSettings() {
        Map<String, String> settings = new LinkedHashMap<>();
        if (applicationJar != null) {
            settings.put("spark.jars", applicationJar.toString());
        }
        settings.put("spark.executor.memory", workerMemory);
        settings.put("spark.driver.host", "127.0.0.1");
        settings.put("spark.driver.bindAddress", "127.0.0.1");
        return settings;
    }

    /**
     * Waits until {@code count} executors (besides the driver) have joined {@code session}.
     *
     * @throws IllegalStateException with the processes' logs when they have not within {@code timeout}
     */
    public void awaitExecutors(SparkSession session, int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (session.sparkContext().statusTracker().getExecutorInfos().length < count + 1) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(count + " executors did not register within " + timeout.toSeconds()
                        + " s" + logTails());
            }
            Thread.sleep(100);
        }
    }

    /** The processes started and still running (for the test that checks none is left). */
    public List<ProcessHandle> processes() {
        List<ProcessHandle> alive = new ArrayList<>();
        for (Process p : processes) {
            p.toHandle().descendants().filter(ProcessHandle::isAlive).forEach(alive::add);
            if (p.isAlive()) {
                alive.add(p.toHandle());
            }
        }
        return alive;
    }

    /** The last lines of every process's log, for a failure's message. */
    public String logTails() {
        StringBuilder text = new StringBuilder();
        for (Path log : logs) {
            text.append("\n--- ").append(log.getFileName()).append('\n');
            try {
                List<String> lines = Files.readAllLines(log);
                lines.subList(Math.max(0, lines.size() - 15), lines.size()).forEach(l -> text.append(l).append('\n'));
            } catch (IOException e) {
                text.append("(unreadable: ").append(e.getMessage()).append(")\n");
            }
        }
        return text.toString();
    }

    /** Stops the workers (and their executors), then the master, and deletes the temporary folders. */
    @Override
    public void close() {
        stopAll();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // the JVM is already shutting down: the hook runs stopAll
        }
        deleteQuietly(home);
    }

    private void stopAll() {
        List<Process> reversed = new ArrayList<>(processes);
        java.util.Collections.reverse(reversed);
        for (Process p : reversed) {
            List<ProcessHandle> children = p.toHandle().descendants().toList();
            p.destroy();
            children.forEach(ProcessHandle::destroy);
        }
        for (Process p : reversed) {
            try {
                if (!p.waitFor(10, TimeUnit.SECONDS)) {
                    p.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
                    p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }

    private void launch(String name, List<String> mainAndArguments) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of(JavaModuleOptions.defaultModuleOptionArray()));
        // The master and workers only pass messages: C1 and the serial collector start them sooner.
        command.addAll(List.of("-Xmx192m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Dspark.master.rest.enabled=false", "-Dspark.ui.showConsoleProgress=false",
                "-cp", home.resolve("spark-home/jars") + "/*"));
        command.addAll(mainAndArguments);
        Path log = home.resolve(name + ".log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("SPARK_HOME", home.resolve("spark-home").toString());
        builder.environment().put("SPARK_SCALA_VERSION", "2.13"); // the launcher would look for a build tree
        builder.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        builder.environment().put("JAVA_HOME", System.getProperty("java.home")); // the executors' JDK: this one
        builder.environment().remove("SPARK_CONF_DIR");
        processes.add(builder.start());
        logs.add(log);
    }

    /** Waits until the master accepts connections on its port. */
    private void awaitMaster(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try (java.net.Socket socket = new java.net.Socket()) {
                socket.connect(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
                return;
            } catch (IOException e) {
                if (!processes.getFirst().isAlive()) {
                    throw new IllegalStateException("the master exited with " + processes.getFirst().exitValue() + logTails());
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the master did not listen within " + timeout.toSeconds() + " s" + logTails());
                }
                Thread.sleep(200);
            }
        }
    }

    /** This JVM's class path, reading Surefire's manifest-only jar's {@code Class-Path} when it has one. */
    private static List<Path> classPath() throws IOException {
        Set<Path> entries = new LinkedHashSet<>();
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            Path path = Path.of(entry).toAbsolutePath();
            entries.add(path);
            if (path.getFileName().toString().startsWith("surefirebooter") && Files.isRegularFile(path)) {
                try (JarFile jar = new JarFile(path.toFile())) {
                    String manifest = jar.getManifest().getMainAttributes().getValue("Class-Path");
                    for (String url : manifest == null ? new String[0] : manifest.trim().split("\\s+")) {
                        entries.add(Path.of(URI.create(path.getParent().toUri().resolve(url).toString())));
                    }
                }
            }
        }
        return new ArrayList<>(entries);
    }

    /** One jar of the classes and resources in {@code folders}; the first folder wins a duplicate name. */
    private static Path jarOf(List<Path> folders, Path jar) throws IOException {
        Set<String> written = new LinkedHashSet<>();
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            for (Path folder : folders) {
                try (Stream<Path> files = Files.walk(folder)) {
                    for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                        String name = folder.relativize(file).toString().replace(java.io.File.separatorChar, '/');
                        if (name.startsWith("META-INF/MANIFEST") || !written.add(name)) {
                            continue;
                        }
                        out.putNextEntry(new JarEntry(name));
                        Files.copy(file, out);
                        out.closeEntry();
                    }
                }
            }
        }
        return jar;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static void deleteQuietly(Path root) {
        try (Stream<Path> walk = Files.walk(root)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    // a temporary file left behind is harmless
                }
            });
        } catch (IOException | UncheckedIOException e) {
            // as above
        }
    }
}
