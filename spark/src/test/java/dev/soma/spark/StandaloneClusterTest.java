package dev.soma.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.soma.data.Background;
import dev.soma.data.DataLoader;
import dev.soma.data.Dataset;
import dev.soma.data.ImageDataset;
import dev.soma.data.ToySets;
import dev.soma.io.ModelFile;
import dev.soma.io.Preprocessing;
import dev.soma.io.PreprocessingJson;
import dev.soma.nn.CrossEntropyLoss;
import dev.soma.nn.ModelSpec;
import dev.soma.nn.Models;
import dev.soma.nn.Module;
import dev.soma.optim.SGD;
import dev.soma.tensor.Generator;
import dev.soma.tensor.NoGrad;
import dev.soma.tensor.Tensor;
import dev.soma.train.Metric;
import dev.soma.train.Trainer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real standalone cluster on this machine ({@link StandaloneCluster}: a master and two workers, each
 * a JVM of its own, their executors two more): training gives the local {@link Trainer}'s weights,
 * batch inference the core model's bits, with the work done in the executors' JVMs; afterwards no
 * process of the cluster is left, also when an assertion fails. 54 s under load average 7, 140 s under
 * 15–20 (six JVMs on two busy cores); the timeout allows for that.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class StandaloneClusterTest {

    @TempDir
    Path dir;

    @Test
    void trainsAndScoresOnAMasterAndTwoWorkersThenLeavesNoProcess() throws Exception {
        List<ProcessHandle> started = new ArrayList<>();
        long start = System.nanoTime();
        try (StandaloneCluster cluster = StandaloneCluster.start(2, Duration.ofSeconds(90))) {
            lap("master up, workers starting", start);
            assertTrue(cluster.applicationJar() != null, "Soma's classes (target/classes) go to the executors in a jar");
            SparkSession spark = SparkSessions.start(cluster.masterUrl(), "StandaloneClusterTest", cluster.driverSettings());
            try {
                cluster.awaitExecutors(spark, 2, Duration.ofSeconds(120));
                lap("driver and two executors up", start);
                started.addAll(cluster.processes());
                assertTrue(started.size() >= 5, "master, 2 workers and their 2 executors: " + started);
                trainingGivesTheLocalTrainersWeights(spark);
                lap("trained", start);
                inferenceGivesTheCoreModelsBitsInTheExecutors(spark);
                lap("scored", start);
            } finally {
                spark.stop();
            }
        } finally {
            for (ProcessHandle process : started) {
                process.onExit().get(20, TimeUnit.SECONDS); // close() waited for them; this proves it
                assertTrue(!process.isAlive(), "still running after the cluster closed: " + process.info());
            }
        }
    }

    @Test
    void aMasterWithoutWorkersIsAnErrorAfterTheWaitNotAHang() throws Exception {
        ModelSpec spec = Models.named("mlp", new int[] {1, 28, 28}, 10);
        Path file = dir.resolve("mlp.safetensors");
        ModelFile.save(file, spec.build(new Generator(2)), spec, List.of(), Map.of(Preprocessing.KEY,
                PreprocessingJson.toJson(Preprocessing.images("random", 1, 28, 28, Background.MIXED))));
        Path pictures = java.nio.file.Files.createDirectories(dir.resolve("pictures/a"));
        javax.imageio.ImageIO.write(new java.awt.image.BufferedImage(28, 28, java.awt.image.BufferedImage.TYPE_BYTE_GRAY),
                "png", pictures.resolve("0.png").toFile());
        try (StandaloneCluster cluster = StandaloneCluster.start(0, Duration.ofSeconds(90))) {
            var settings = new SparkPredict.Settings(file, pictures.getParent().toString(), cluster.masterUrl(),
                    dir.resolve("out.parquet").toString(), "image", 256, true, false, Duration.ofSeconds(3));
            long start = System.nanoTime();
            var failure = org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class, () -> SparkPredict.run(settings));
            double seconds = (System.nanoTime() - start) / 1e9;
            assertTrue(failure.getMessage().startsWith("no executor joined within 3 s: the master " + cluster.masterUrl()
                    + " has no worker with a free core"), failure.getMessage());
            assertTrue(seconds < 60, "took " + seconds + " s");
        }
    }

    /** Prints the seconds since {@code start}: where the test's time goes, in the test's report. */
    private static void lap(String what, long start) {
        System.out.printf(java.util.Locale.ROOT, "StandaloneClusterTest: %s after %.1f s%n", what, (System.nanoTime() - start) / 1e9);
    }

    /**
     * 15 steps of SGD with momentum on two partitions, one per executor, against the local Trainer;
     * barrier mode gives the job mode's bits.
     */
    private static void trainingGivesTheLocalTrainersWeights(SparkSession spark) {
        Dataset train = ToySets.spiral(300, 0.05, new Generator(5));
        ModelSpec spec = Models.mlp(new int[] {2}, 2);
        Module local = spec.build(new Generator(0));
        new Trainer(local, new CrossEntropyLoss(), SGD.builder(local.parameters(), 0.1).momentum(0.9).build(),
                Metric.multiclassAccuracy()).fit(new DataLoader(train, 64, true, new Generator(1)), null, 3);
        Module distributed = spec.build(new Generator(0));
        new SparkTrainer(spark, 2, spec, distributed, CrossEntropyLoss::new,
                SGD.builder(distributed.parameters(), 0.1).momentum(0.9).build(), Metric::multiclassAccuracy, 0)
                .fit(new DataLoader(train, 64, true, new Generator(1)), null, 3);
        Map<String, Tensor> expected = local.stateDict();
        Map<String, Tensor> actual = distributed.stateDict();
        assertEquals(expected.keySet(), actual.keySet());
        double difference = 0;
        for (String key : expected.keySet()) {
            float[] a = expected.get(key).toArray();
            float[] b = actual.get(key).toArray();
            for (int i = 0; i < a.length; i++) {
                difference = Math.max(difference, Math.abs(a[i] - b[i]));
            }
        }
        assertTrue(difference < 1e-5, "the weights differ by " + difference);

        // barrier mode: one stage an epoch, each executor's task exchanging shares with the driver's hub
        Module barrier = spec.build(new Generator(0));
        new SparkTrainer(spark, 2, spec, barrier, CrossEntropyLoss::new,
                SGD.builder(barrier.parameters(), 0.1).momentum(0.9).build(), Metric::multiclassAccuracy, 0)
                .sync(SparkTrainer.Sync.BARRIER).fit(new DataLoader(train, 64, true, new Generator(1)), null, 3);
        barrier.stateDict().forEach((key, value) -> assertArrayEquals(actual.get(key).toArray(), value.toArray(), 0f,
                "barrier mode, " + key));
    }

    /** 500 random pictures on 4 partitions, scored by the MLP in the executors, against the core model here. */
    private void inferenceGivesTheCoreModelsBitsInTheExecutors(SparkSession spark) throws Exception {
        int count = 500;
        Generator random = new Generator(9);
        byte[] pixels = new byte[count * 784];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (byte) random.nextInt(256);
        }
        int[] labels = new int[count];
        ImageDataset pictures = new ImageDataset(pixels, 1, 28, 28, labels, List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"));
        ModelSpec spec = Models.named("mlp", new int[] {1, 28, 28}, 10);
        Path file = dir.resolve("mlp.safetensors");
        ModelFile.save(file, spec.build(new Generator(2)), spec, pictures.classNames(), Map.of(Preprocessing.KEY,
                PreprocessingJson.toJson(Preprocessing.images("random", 1, 28, 28, Background.MIXED))));
        ModelFile model = ModelFile.load(file);
        float[] expected = new float[count * 10];
        int batch = BatchInference.DEFAULT_BATCH;
        try (NoGrad scope = NoGrad.enter()) {
            for (int start = 0; start < count; start += batch) {
                float[] values = new float[batch * 784];
                for (int i = start; i < Math.min(count, start + batch); i++) {
                    System.arraycopy(model.input().image(pictures.image(i)).toArray(), 0, values, (i - start) * 784, 784);
                }
                float[] out = model.model().forward(Tensor.of(values, batch, 1, 28, 28)).softmax(-1).toArray();
                System.arraycopy(out, 0, expected, start * 10, Math.min(batch, count - start) * 10);
            }
        }
        long loadsHere = ModelCache.loads();
        List<Row> rows = BatchInference.load(file).score(SparkData.of(spark, pictures, 4), SparkData.IMAGE).collectAsList();
        assertEquals(loadsHere, ModelCache.loads(), "the executors load the model, not the driver");
        float[] actual = new float[count * 10];
        for (int i = 0; i < count; i++) {
            List<Float> p = rows.get(i).getList(rows.get(i).fieldIndex(BatchInference.PROBABILITIES));
            for (int k = 0; k < 10; k++) {
                actual[i * 10 + k] = p.get(k);
            }
        }
        assertArrayEquals(expected, actual);
    }
}
