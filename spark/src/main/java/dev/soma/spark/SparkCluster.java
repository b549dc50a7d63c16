package dev.soma.spark;

import dev.soma.nn.CrossEntropyLoss;
import dev.soma.nn.ModelSpec;
import dev.soma.nn.Module;
import dev.soma.optim.Optimizer;
import dev.soma.train.Metric;
import org.apache.spark.sql.SparkSession;

/**
 * A connection to a Spark master for code that names no Spark type (the {@code soma} command line,
 * whose classes must load without Spark's jars): start it, hand it work, close it.
 *
 * <pre>{@code
 * try (SparkCluster cluster = SparkCluster.connect("local[*]", "soma")) {
 *     SparkTrainer trainer = cluster.classifierTrainer(cluster.defaultParallelism(), spec, model, adam, seed);
 *     ...
 * }
 * }</pre>
 */
public final class SparkCluster implements AutoCloseable {

    private final SparkSession session;

    private SparkCluster(SparkSession session) {
        this.session = session;
    }

    /** Whether Spark's classes can be loaded (a caller without them can say so before it starts work). */
    public static boolean available() {
        try {
            Class.forName("org.apache.spark.sql.SparkSession", false, SparkCluster.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /**
     * Connects to {@code master} (null: the {@code spark.master} that {@code spark-submit} set, else
     * {@code local[*]}) through {@link SparkSessions#start}.
     */
    public static SparkCluster connect(String master, String appName) {
        String url = master != null ? master : System.getProperty("spark.master", "local[*]");
        return new SparkCluster(SparkSessions.start(url, appName));
    }

    /** The session, for code that uses Spark itself. */
    public SparkSession session() {
        return session;
    }

    /** The master URL connected to. */
    public String master() {
        return session.sparkContext().master();
    }

    /** The cluster's default parallelism: its cores (local[N]: N). */
    public int defaultParallelism() {
        return session.sparkContext().defaultParallelism();
    }

    /**
     * A trainer of a classifier (cross-entropy loss, accuracy) on {@code partitions} partitions; see
     * {@link SparkTrainer}. {@code barrier}: {@link SparkTrainer.Sync#BARRIER} (the faster, measured in
     * docs/SPARK.md), else one job a step.
     */
    public SparkTrainer classifierTrainer(int partitions, ModelSpec spec, Module model, Optimizer optimizer, long seed,
            boolean barrier) {
        return classifierTrainer(partitions, spec, model, optimizer, seed)
                .sync(barrier ? SparkTrainer.Sync.BARRIER : SparkTrainer.Sync.JOBS);
    }

    /**
     * A trainer of a classifier as {@link #classifierTrainer(int, ModelSpec, Module, Optimizer, long, boolean)},
     * in {@code sync} mode: {@code "barrier"}, {@code "jobs"} or {@code "average"} ({@link SparkTrainer.Sync},
     * by name), with {@code localSteps} steps between averages in the last.
     */
    public SparkTrainer classifierTrainer(int partitions, ModelSpec spec, Module model, Optimizer optimizer, long seed,
            String sync, int localSteps) {
        return classifierTrainer(partitions, spec, model, optimizer, seed)
                .sync(SparkTrainer.Sync.valueOf(sync.toUpperCase(java.util.Locale.ROOT))).localSteps(localSteps);
    }

    /**
     * A trainer of a classifier (cross-entropy loss, accuracy) on {@code partitions} partitions; see
     * {@link SparkTrainer} (one job a step unless {@link SparkTrainer#sync} says otherwise).
     */
    public SparkTrainer classifierTrainer(int partitions, ModelSpec spec, Module model, Optimizer optimizer, long seed) {
        return new SparkTrainer(session, partitions, spec, model, CrossEntropyLoss::new, optimizer,
                Metric::multiclassAccuracy, seed);
    }

    /** Stops the session (and, with a local master, its executors). */
    @Override
    public void close() {
        session.stop();
    }
}
