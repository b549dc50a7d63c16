package dev.soma.bench;

import dev.soma.data.DataLoader;
import dev.soma.data.ImageDataset;
import dev.soma.data.Mnist;
import dev.soma.nn.CrossEntropyLoss;
import dev.soma.nn.Models;
import dev.soma.optim.Adam;
import dev.soma.tensor.Generator;
import dev.soma.train.Callback;
import dev.soma.train.EpochStats;
import dev.soma.train.History;
import dev.soma.train.Metric;
import dev.soma.train.Trainer;
import dev.soma.train.Warmup;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * The JIT's warm-up as {@code soma bench mlp} (or {@code cnn}) meets it: the data's loading (with the
 * {@link Warmup} stand-in beside it with {@code -Dsoma.warmup=on}), the first 100 steps, the rest of
 * epoch 1 and each later epoch, each with its wall time and the process's CPU time (every thread, the
 * JIT's compilers included) and the JVM's uptime at its end, which {@code -XX:+PrintCompilation}'s
 * times can be read against. On a shared machine the CPU times, taken in runs alternating with and
 * without the stand-in, are the figures that survive the load; the wall times are not.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -XX:+UseSerialGC -Xmn64m [-Dsoma.warmup=on] \
 *     -cp bench/target/soma-bench.jar dev.soma.bench.WarmupTimes [mlp|cnn] [epochs]
 * </pre>
 */
public final class WarmupTimes {

    private WarmupTimes() {
    }

    public static void main(String[] args) throws Exception {
        String model = args.length > 0 ? args[0] : "mlp";
        int epochs = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        List<long[]> marks = new ArrayList<>();
        marks.add(mark());
        Supplier<Trainer> standIn = () -> trainer(model, 1);
        ImageDataset train;
        ImageDataset test;
        int standInSteps;
        try (Warmup warmup = !Warmup.enabled() ? null
                : Warmup.start(standIn, new int[] {1, 28, 28}, Mnist.FASHION_CLASSES.size(), 64)) {
            train = Mnist.load("fashion-mnist", Mnist.locate("fashion-mnist"), Mnist.Split.TRAIN);
            test = Mnist.load("fashion-mnist", Mnist.locate("fashion-mnist"), Mnist.Split.TEST);
            standInSteps = warmup == null ? 0 : warmup.steps();
        }
        marks.add(mark());
        Trainer trainer = trainer(model, 0).callback(new Callback() {
            @Override
            public void onBatchEnd(BatchEnd e) {
                if (e.epoch() == 1 && e.batch() == 100) {
                    marks.add(mark());
                }
            }

            @Override
            public boolean onEpochEnd(EpochStats stats) {
                marks.add(mark());
                return false;
            }
        });
        DataLoader loader = DataLoader.builder(train).batchSize(64).shuffle(true).generator(new Generator(0))
                .prefetch(true).build();
        History history = trainer.fit(loader, test, epochs);
        System.out.printf(Locale.ROOT, "%s, warm-up %s (%d stand-in steps while loading); wall s / process CPU s / uptime ms at the end:%n",
                model, Warmup.enabled() ? "on" : "off", standInSteps);
        List<String> phases = new ArrayList<>(List.of("load", "steps 1-100", "rest of epoch 1"));
        for (int e = 2; e <= epochs; e++) {
            phases.add("epoch " + e);
        }
        for (int i = 1; i < marks.size(); i++) {
            long[] from = marks.get(i - 1);
            long[] to = marks.get(i);
            System.out.printf(Locale.ROOT, "  %-16s %6.2f %6.2f %7d%n", phases.get(i - 1), (to[0] - from[0]) / 1e9,
                    (to[1] - from[1]) / 1e9, to[2]);
        }
        System.out.println("  test accuracy " + Arrays.toString(history.validationAccuracy()));
    }

    /** The trainer of {@code soma bench}: Adam, lr 1e-3, the built-in model for Fashion-MNIST with this seed. */
    private static Trainer trainer(String model, long seed) {
        var network = Models.forMnist(model).build(new Generator(seed));
        return new Trainer(network, new CrossEntropyLoss(), Adam.builder(network.parameters()).lr(1e-3).build(),
                Metric.multiclassAccuracy());
    }

    /** Now: wall ns, process CPU ns, JVM uptime ms. */
    private static long[] mark() {
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        return new long[] {System.nanoTime(), os.getProcessCpuTime(), ManagementFactory.getRuntimeMXBean().getUptime()};
    }
}
