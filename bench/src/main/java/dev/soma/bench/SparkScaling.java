package dev.soma.bench;

import dev.soma.data.DataLoader;
import dev.soma.data.Dataset;
import dev.soma.data.Subset;
import dev.soma.nn.CrossEntropyLoss;
import dev.soma.nn.ModelSpec;
import dev.soma.nn.Models;
import dev.soma.nn.Module;
import dev.soma.optim.Adam;
import dev.soma.spark.SparkSessions;
import dev.soma.spark.SparkTrainer;
import dev.soma.spark.StandaloneCluster;
import dev.soma.tensor.Generator;
import dev.soma.train.Callback;
import dev.soma.train.Metric;
import dev.soma.train.Trainer;
import dev.soma.train.TrainingLoop;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.apache.spark.sql.SparkSession;

/**
 * Training steps a second on 1, 2 and 4 Spark executors that are separate JVMs, against the local
 * {@link Trainer} in the same run: the MLP on Fashion-MNIST (random images of its shape without
 * Debian's {@code dataset-fashion-mnist}), Adam, at each global batch asked for.
 *
 * <p>It starts a standalone cluster on this machine ({@link StandaloneCluster}: Spark's own master
 * and four workers of one core each, every one a JVM) and, for each executor count N and sync mode,
 * a fresh application with {@code spark.cores.max=N}: N executor JVMs of one core each, Soma's
 * kernels in them on one thread ({@code SOMA_THREADS=1}), and N partitions, so each partition has an
 * executor of its own. Each loop first trains {@code W} warm-up steps on a fresh model (timed: what
 * a user waits for, the training set's broadcast and the executors' cold JIT included, the
 * application's start reported apart), then {@code S} timed steps, and reports the median step.
 * A job a step is timed step by step; barrier mode ends a stage every {@code S/4} steps (a no-op
 * checkpoint, as {@code --checkpoint-every} does) and each stage's time over its steps is one sample;
 * the first step or stage of the timed fit, which carries the fit's fixed cost, is left out of the
 * median. The local loop's samples are its steps. Printed: the median ms a step, steps a second,
 * the speed against the local loop, the bytes a step sends on a cluster
 * ({@link SparkTrainer#bytesPerStep}) and the load average before and after.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector $(cat spark/target/spark-jvm-flags.txt) \
 *     -cp "bench/target/soma-bench.jar:$(cat spark/target/spark-classpath.txt)" \
 *     dev.soma.bench.SparkScaling [executors, default 1,2,4] [global batches, default 1024,4096] \
 *     [modes, default jobs,barrier]
 * </pre>
 *
 * A benchmark, not a test: on a machine with fewer cores than executors the executors share the
 * cores, so more executors measure Spark's overhead per executor, not a speed-up.
 */
public final class SparkScaling {

    /** Fashion-MNIST's training set: warm-up and timed steps together use at most this many examples. */
    private static final int EXAMPLES = 60_000;
    private static final int MAX_TIMED = 40;
    private static final String EXECUTOR_MEMORY = "1g";

    private SparkScaling() {
    }

    /** One loop's figures: median seconds a step, the warm-up's seconds, the application's start, bytes a step. */
    private record Figures(String loop, int executors, int batch, double median, double warmUp, double start, long bytes) {
    }

    public static void main(String[] args) throws Exception {
        int[] executorCounts = ints(args.length > 0 ? args[0] : "1,2,4");
        int[] batches = ints(args.length > 1 ? args[1] : "1024,4096");
        String[] modes = (args.length > 2 ? args[2] : "jobs,barrier").split(",");
        int most = Arrays.stream(executorCounts).max().orElse(1);
        String loadBefore = loadAverage();
        System.out.printf("load average before: %s; %d cores; a cluster of %d one-core workers%n", loadBefore,
                Runtime.getRuntime().availableProcessors(), most);
        Dataset all = SparkStepTimes.data(EXAMPLES);
        ModelSpec spec = Models.forMnist("mlp");
        List<Figures> figures = new ArrayList<>();
        for (int batch : batches) {
            figures.add(measure("local Trainer", 0, batch, all, spec,
                    model -> new Trainer(model, new CrossEntropyLoss(), Adam.builder(model.parameters()).build(),
                            Metric.multiclassAccuracy()), 0));
        }
        long began = System.nanoTime();
        try (StandaloneCluster cluster = StandaloneCluster.start(most, EXECUTOR_MEMORY, Duration.ofSeconds(120))) {
            System.out.printf(Locale.ROOT, "master up after %.1f s%n", (System.nanoTime() - began) / 1e9);
            for (int executors : executorCounts) {
                for (String mode : modes) {
                    SparkTrainer.Sync sync = SparkTrainer.Sync.valueOf(mode.trim().toUpperCase(Locale.ROOT));
                    long asked = System.nanoTime();
                    Map<String, String> settings = new LinkedHashMap<>(cluster.driverSettings());
                    settings.put("spark.cores.max", Integer.toString(executors));
                    settings.put("spark.executorEnv.SOMA_THREADS", "1");
                    SparkSession spark = SparkSessions.start(cluster.masterUrl(), "SparkScaling", settings);
                    try {
                        cluster.awaitExecutors(spark, executors, Duration.ofSeconds(180));
                        double start = (System.nanoTime() - asked) / 1e9;
                        for (int batch : batches) {
                            SparkTrainer[] made = new SparkTrainer[1];
                            Figures f = measure(sync.name().toLowerCase(Locale.ROOT), executors, batch, all, spec,
                                    model -> made[0] = new SparkTrainer(spark, executors, spec, model, CrossEntropyLoss::new,
                                            Adam.builder(model.parameters()).build(), Metric::multiclassAccuracy, 0).sync(sync),
                                    start);
                            figures.add(new Figures(f.loop(), executors, batch, f.median(), f.warmUp(), start,
                                    made[0].bytesPerStep(batch)));
                            start = 0; // the application started once, for the first batch size
                        }
                    } finally {
                        spark.stop();
                    }
                }
            }
        }
        print(figures, loadBefore, loadAverage());
    }

    /**
     * Trains W warm-up steps, then S timed steps, on a fresh model; returns the median step and the
     * warm-up's seconds. A barrier loop's samples are stages of S/4 steps.
     */
    private static Figures measure(String name, int executors, int batch, Dataset all, ModelSpec spec,
            Function<Module, TrainingLoop> make, double start) {
        int warmUpSteps = Math.max(2, 10_240 / batch);
        int timedSteps = Math.min(MAX_TIMED, all.size() / batch - warmUpSteps);
        if (timedSteps < 4) {
            throw new IllegalArgumentException("batch " + batch + " leaves " + timedSteps + " timed steps in "
                    + all.size() + " examples; use a smaller batch");
        }
        boolean stages = name.equals("barrier");
        int stageSteps = timedSteps / 4;
        Module model = spec.build(new Generator(0));
        TrainingLoop loop = make.apply(model);
        if (stages) {
            loop.checkpoint(state -> { }, false, stageSteps);
        }
        List<Long> ends = new ArrayList<>();
        loop.callback(new Callback() {
            @Override
            public void onBatchEnd(BatchEnd e) {
                ends.add(System.nanoTime());
            }
        });
        Dataset warm = new Subset(all, IntStream.range(0, warmUpSteps * batch).toArray());
        long t0 = System.nanoTime();
        loop.fit(new DataLoader(warm, batch, true, new Generator(1)), null, 1, null);
        double warmUp = (System.nanoTime() - t0) / 1e9;
        ends.clear();
        Dataset timed = new Subset(all, IntStream.range(warmUpSteps * batch, (warmUpSteps + timedSteps) * batch).toArray());
        loop.fit(new DataLoader(timed, batch, true, new Generator(2)), null, 1, null);
        int every = stages ? stageSteps : 1;
        List<Double> samples = new ArrayList<>();
        for (int end = 2 * every - 1; end < ends.size(); end += every) { // the first step or stage carries the fit's fixed cost
            samples.add((ends.get(end) - ends.get(end - every)) / 1e9 / every);
        }
        double median = median(samples);
        System.out.printf(Locale.ROOT, "%s, %d executors, batch %d: %d warm-up steps in %.2f s, then %.1f ms a step"
                + " (median of %d samples of %d steps)%n", name, executors, batch, warmUpSteps, warmUp, median * 1e3,
                samples.size(), every);
        return new Figures(name, executors, batch, median, warmUp, start, 0);
    }

    private static void print(List<Figures> figures, String loadBefore, String loadAfter) {
        System.out.printf("%nload average before: %s, after: %s%n", loadBefore, loadAfter);
        System.out.println("| loop | executors | batch | ms a step (median) | steps/s | × local | bytes a step |"
                + " warm-up steps, s | application start, s |");
        System.out.println("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        Map<Integer, Double> local = new LinkedHashMap<>();
        for (Figures f : figures) {
            if (f.executors() == 0) {
                local.put(f.batch(), f.median());
            }
        }
        for (Figures f : figures) {
            System.out.printf(Locale.ROOT, "| %s | %s | %d | %.1f | %.1f | %.2f | %s | %.1f | %s |%n", f.loop(),
                    f.executors() == 0 ? "—" : Integer.toString(f.executors()), f.batch(), f.median() * 1e3,
                    1 / f.median(), local.get(f.batch()) / f.median(),
                    f.bytes() == 0 ? "—" : String.format(Locale.ROOT, "%,d", f.bytes()), f.warmUp(),
                    f.start() == 0 ? "—" : String.format(Locale.ROOT, "%.1f", f.start()));
        }
    }

    private static double median(List<Double> samples) {
        if (samples.isEmpty()) {
            return Double.NaN;
        }
        double[] sorted = samples.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static int[] ints(String list) {
        return Arrays.stream(list.split(",")).map(String::trim).mapToInt(Integer::parseInt).toArray();
    }

    private static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return fields[0] + " " + fields[1] + " " + fields[2] + " (1, 5, 15 min)";
        } catch (java.io.IOException | RuntimeException e) {
            return "unknown";
        }
    }
}
