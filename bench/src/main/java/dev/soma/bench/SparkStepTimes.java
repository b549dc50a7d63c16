package dev.soma.bench;

import dev.soma.data.DataLoader;
import dev.soma.data.Dataset;
import dev.soma.data.Mnist;
import dev.soma.data.Subset;
import dev.soma.data.TensorDataset;
import dev.soma.nn.CrossEntropyLoss;
import dev.soma.nn.ModelSpec;
import dev.soma.nn.Models;
import dev.soma.nn.Module;
import dev.soma.optim.Adam;
import dev.soma.spark.SparkCluster;
import dev.soma.spark.SparkTrainer;
import dev.soma.tensor.Generator;
import dev.soma.tensor.Tensor;
import dev.soma.train.Metric;
import dev.soma.train.Trainer;
import dev.soma.train.TrainingLoop;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.Function;
import java.util.stream.IntStream;

/**
 * A training step's time on Spark against the local {@link Trainer}: the MLP on Fashion-MNIST
 * (random images of its shape when Debian's {@code dataset-fashion-mnist} is missing), Adam, global
 * batch 1024, the same batches on both. Each loop first trains 10 steps (the JIT, Spark's first jobs),
 * then {@code steps} more, timed; the loops take turns for {@code rounds} rounds and each keeps its best
 * mean step time. It prints those, the speed against the local loop and the bytes a step moves on a
 * cluster ({@link SparkTrainer#bytesPerStep}). A benchmark,
 * not a test: figures on a shared machine vary from run to run.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector $(cat spark/target/spark-jvm-flags.txt) \
 *     -cp "bench/target/soma-bench.jar:$(cat spark/target/spark-classpath.txt)" \
 *     dev.soma.bench.SparkStepTimes [master, default local[2]] [partitions, default 1,2,4] [steps, default 30] \
 *     [rounds, default 3] [modes, default jobs,barrier]
 * </pre>
 *
 * Barrier mode runs the timed steps in one stage (one epoch) and is skipped for more partitions than
 * the master has task slots.
 */
public final class SparkStepTimes {

    private static final int BATCH = 1024;
    private static final int WARM_UP = 10;

    private SparkStepTimes() {
    }

    /** One Spark loop measured: how the gradients meet, on how many partitions. */
    private record Setting(SparkTrainer.Sync sync, int partitions) {
    }

    public static void main(String[] args) throws Exception {
        String master = args.length > 0 ? args[0] : "local[2]";
        int[] partitionCounts = args.length > 1
                ? java.util.Arrays.stream(args[1].split(",")).mapToInt(Integer::parseInt).toArray() : new int[] {1, 2, 4};
        int steps = args.length > 2 ? Integer.parseInt(args[2]) : 30;
        int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 3;
        String[] modes = (args.length > 4 ? args[4] : "jobs,barrier").split(",");
        Dataset data = data((WARM_UP + steps) * BATCH);
        ModelSpec spec = Models.forMnist("mlp");
        double local = Double.POSITIVE_INFINITY;
        try (SparkCluster cluster = SparkCluster.connect(master, "SparkStepTimes")) {
            java.util.List<Setting> settings = new java.util.ArrayList<>();
            for (String mode : modes) {
                SparkTrainer.Sync sync = SparkTrainer.Sync.valueOf(mode.trim().toUpperCase(Locale.ROOT));
                for (int partitions : partitionCounts) {
                    if (sync == SparkTrainer.Sync.BARRIER && partitions > cluster.defaultParallelism()) {
                        System.out.printf("barrier, %d partitions: skipped, %s has %d task slots%n", partitions,
                                cluster.master(), cluster.defaultParallelism());
                        continue;
                    }
                    settings.add(new Setting(sync, partitions));
                }
            }
            double[] spark = new double[settings.size()];
            java.util.Arrays.fill(spark, Double.POSITIVE_INFINITY);
            long[] bytes = new long[settings.size()];
            // NOTE: the loops take turns, round after round, and each keeps its best round: on a shared
            // machine the load changes from minute to minute, and the best is the least disturbed.
            for (int round = 0; round < rounds; round++) {
                local = Math.min(local, secondsPerStep(data, steps, model -> new Trainer(model, new CrossEntropyLoss(),
                        Adam.builder(model.parameters()).build(), Metric.multiclassAccuracy()), spec));
                for (int k = 0; k < settings.size(); k++) {
                    Setting setting = settings.get(k);
                    SparkTrainer[] made = new SparkTrainer[1];
                    spark[k] = Math.min(spark[k], secondsPerStep(data, steps, model -> made[0] = cluster.classifierTrainer(
                            setting.partitions(), spec, model, Adam.builder(model.parameters()).build(), 0)
                            .sync(setting.sync()), spec));
                    bytes[k] = made[0].bytesPerStep(BATCH);
                    System.out.printf(Locale.ROOT, "round %d: local %.1f ms, %s %d partitions %.1f ms%n", round + 1,
                            local * 1e3, setting.sync(), setting.partitions(), spark[k] * 1e3);
                }
            }
            System.out.printf(Locale.ROOT, "local Trainer: %.1f ms a step (batch %d, %d threads), best of %d rounds%n",
                    local * 1e3, BATCH, Runtime.getRuntime().availableProcessors(), rounds);
            for (int k = 0; k < settings.size(); k++) {
                System.out.printf(Locale.ROOT, "Spark %s, %s, %d partitions: %.1f ms a step, %.2f× the local speed,"
                        + " %,d bytes a step on a cluster%n", cluster.master(), settings.get(k).sync(),
                        settings.get(k).partitions(), spark[k] * 1e3, local / spark[k], bytes[k]);
            }
        }
    }

    /** Trains WARM_UP steps, then {@code steps} timed steps, on a fresh model; returns the seconds per timed step. */
    private static double secondsPerStep(Dataset data, int steps, Function<Module, TrainingLoop> loop, ModelSpec spec) {
        Module model = spec.build(new Generator(0));
        TrainingLoop trainer = loop.apply(model);
        Dataset warm = new Subset(data, IntStream.range(0, WARM_UP * BATCH).toArray());
        trainer.fit(new DataLoader(warm, BATCH, true, new Generator(1)), null, 1, null);
        Dataset timed = new Subset(data, IntStream.range(WARM_UP * BATCH, (WARM_UP + steps) * BATCH).toArray());
        long start = System.nanoTime();
        trainer.fit(new DataLoader(timed, BATCH, true, new Generator(2)), null, 1, null);
        return (System.nanoTime() - start) / 1e9 / steps;
    }

    static Dataset data(int n) throws Exception {
        Path folder = Path.of("/usr/share/datasets/fashion-mnist");
        if (Files.isDirectory(folder)) {
            Dataset all = Mnist.fashionMnist(folder, Mnist.Split.TRAIN);
            return new Subset(all, IntStream.range(0, Math.min(n, all.size())).toArray());
        }
        System.out.println("(random images: " + folder + " is missing)");
        Generator g = new Generator(3);
        return new TensorDataset(Tensor.rand(g, n, 1, 28, 28), Tensor.randint(g, 0, 10, n));
    }
}
