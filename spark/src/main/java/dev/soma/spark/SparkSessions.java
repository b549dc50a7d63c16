package dev.soma.spark;

import org.apache.spark.sql.SparkSession;

/**
 * Starts the {@link SparkSession} that Soma's Spark commands and tests use.
 *
 * <p>A {@code local[N]} master runs the driver and N executor threads in this JVM; a
 * {@code spark://host:7077} master connects to a standalone cluster. Either way the web UI is off
 * and the driver binds to 127.0.0.1 for local masters (a laptop's tests open no port to the
 * network). Logging stays at WARN ({@code soma-spark-log4j2.properties}) unless the user's own
 * log4j2 configuration is on the class path or named by {@code log4j2.configurationFile}.
 *
 * <p>The JVM needs Spark's options on JDK 25 (the {@code --add-opens} list of Spark's launcher and
 * {@code --sun-misc-unsafe-memory-access=allow}); the {@code spark.jvm.flags} property of the
 * parent pom has them, and {@code ./soma spark} passes them.
 */
public final class SparkSessions {

    private static final String QUIET_LOGGING = "soma-spark-log4j2.properties";

    private SparkSessions() {
    }

    /**
     * Starts (or returns the running) session for {@code master}.
     *
     * @param master a Spark master URL: {@code local[2]}, {@code local[*]}, {@code local[2,2]}
     *     (two threads, each task tried twice), {@code spark://host:port}
     * @param appName the name the cluster's UI and logs show
     */
    public static SparkSession start(String master, String appName) {
        return start(master, appName, java.util.Map.of());
    }

    /**
     * As {@link #start(String, String)}, with more Spark settings ({@code spark.jars},
     * {@code spark.executor.memory}, {@code spark.driver.host} for a cluster), which win over the defaults.
     */
    public static SparkSession start(String master, String appName, java.util.Map<String, String> settings) {
        quietLogging();
        SparkSession.Builder builder = SparkSession.builder()
                .master(master)
                .appName(appName)
                .config("spark.ui.enabled", "false")
                .config("spark.ui.showConsoleProgress", "false")
                .config("spark.sql.shuffle.partitions", "4");
        if (master.startsWith("local")) {
            builder.config("spark.driver.host", "127.0.0.1")
                    .config("spark.driver.bindAddress", "127.0.0.1");
        }
        settings.forEach(builder::config);
        return builder.getOrCreate();
    }

    /** Points log4j2 at Soma's WARN configuration unless the user configured logging. */
    private static void quietLogging() {
        if (System.getProperty("log4j2.configurationFile") != null) {
            return;
        }
        ClassLoader loader = SparkSessions.class.getClassLoader();
        for (String own : new String[] {"log4j2-test.properties", "log4j2-test.xml", "log4j2.properties",
            "log4j2.xml"}) {
            if (loader.getResource(own) != null) {
                return;
            }
        }
        System.setProperty("log4j2.configurationFile", QUIET_LOGGING);
    }
}
