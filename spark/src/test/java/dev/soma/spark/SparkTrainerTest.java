package dev.soma.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.soma.data.DataLoader;
import dev.soma.data.Dataset;
import dev.soma.data.ImageDataset;
import dev.soma.data.Mnist;
import dev.soma.data.Subset;
import dev.soma.data.ToySets;
import dev.soma.io.Checkpoint;
import dev.soma.nn.BatchNorm1d;
import dev.soma.nn.CrossEntropyLoss;
import dev.soma.nn.Linear;
import dev.soma.nn.ModelSpec;
import dev.soma.nn.Models;
import dev.soma.nn.Module;
import dev.soma.optim.Adam;
import dev.soma.optim.Optimizer;
import dev.soma.optim.SGD;
import dev.soma.tensor.Generator;
import dev.soma.tensor.Tensor;
import dev.soma.train.History;
import dev.soma.train.Metric;
import dev.soma.train.Trainer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Spark's synchronous data-parallel training against the local {@link Trainer}: the same global
 * batches (same seeds) give the same weights, to float rounding, with 1, 2 and 4 partitions; a
 * killed task and a resumed checkpoint change nothing, bit for bit. One session for the class,
 * {@code local[2,2]}: two executor threads, each task tried up to twice.
 */
class SparkTrainerTest {

    private static final Path DEBIAN_FOLDER = Path.of("/usr/share/datasets/fashion-mnist");
    private static final Factory<Metric> ACCURACY = Metric::multiclassAccuracy;
    private static SparkSession spark;

    @BeforeAll
    static void start() {
        spark = SparkSessions.start("local[2,2]", "SparkTrainerTest");
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    /** One run's result: the weights and the history. */
    private record Run(Map<String, Tensor> weights, History history, Module model) {
    }

    private static Run local(ModelSpec spec, Dataset train, int batch, int epochs, Function<Module, Optimizer> optimizer) {
        Module model = spec.build(new Generator(0));
        Trainer trainer = new Trainer(model, new CrossEntropyLoss(), optimizer.apply(model), Metric.multiclassAccuracy());
        History history = trainer.fit(new DataLoader(train, batch, true, new Generator(1)), null, epochs);
        return new Run(model.stateDict(), history, model);
    }

    private static SparkTrainer sparkTrainer(ModelSpec spec, Module model, Optimizer optimizer, int partitions) {
        return new SparkTrainer(spark, partitions, spec, model, CrossEntropyLoss::new, optimizer, ACCURACY, 0);
    }

    private static Run onSpark(ModelSpec spec, Dataset train, int batch, int epochs, int partitions,
            Function<Module, Optimizer> optimizer) {
        Module model = spec.build(new Generator(0));
        SparkTrainer trainer = sparkTrainer(spec, model, optimizer.apply(model), partitions);
        History history = trainer.fit(new DataLoader(train, batch, true, new Generator(1)), null, epochs);
        return new Run(model.stateDict(), history, model);
    }

    private static Optimizer adam(Module model) {
        return Adam.builder(model.parameters()).lr(1e-2).build();
    }

    private static Optimizer sgd(Module model) {
        return SGD.builder(model.parameters(), 0.1).momentum(0.9).build();
    }

    /** The largest |a − b| over every weight of two state dicts with the same keys. */
    private static double maxDifference(Map<String, Tensor> a, Map<String, Tensor> b) {
        assertEquals(a.keySet(), b.keySet());
        double max = 0;
        for (String key : a.keySet()) {
            float[] x = a.get(key).toArray();
            float[] y = b.get(key).toArray();
            for (int i = 0; i < x.length; i++) {
                max = Math.max(max, Math.abs(x[i] - y[i]));
            }
        }
        return max;
    }

    private static void assertSameBits(Map<String, Tensor> a, Map<String, Tensor> b) {
        assertEquals(a.keySet(), b.keySet());
        a.forEach((key, value) -> assertArrayEquals(value.toArray(), b.get(key).toArray(), 0f, key));
    }

    @Test
    void oneTwoAndFourPartitionsGiveTheLocalTrainersWeightsOnAToySet() {
        Dataset train = ToySets.spiral(300, 0.05, new Generator(5));
        ModelSpec spec = Models.mlp(new int[] {2}, 2);
        Run reference = local(spec, train, 64, 3, SparkTrainerTest::sgd);         // 15 steps, the last batch of 44
        for (int partitions : new int[] {1, 2, 4}) {
            Run run = onSpark(spec, train, 64, 3, partitions, SparkTrainerTest::sgd);
            if (partitions == 1) {
                // one partition computes the local step itself: the same products, the loss times n/B = 1
                assertSameBits(reference.weights(), run.weights());
            }
            double difference = maxDifference(reference.weights(), run.weights());
            assertTrue(difference < 1e-5, partitions + " partitions: weights differ by " + difference);
            assertEquals(reference.history().trainLoss()[2], run.history().trainLoss()[2], 1e-5);
            assertEquals(reference.history().epochs().get(2).trainAccuracy(), run.history().epochs().get(2).trainAccuracy(), 0);
        }
    }

    @Test
    void fashionMnistOnTwoAndFourPartitionsMatchesTheLocalTrainerInWeightsAndTestAccuracy() throws IOException {
        requireFashionMnist();
        ImageDataset images = Mnist.fashionMnist(DEBIAN_FOLDER, Mnist.Split.TRAIN);
        Dataset train = new Subset(images, IntStream.range(0, 1_500).toArray());
        Dataset test = new Subset(Mnist.fashionMnist(DEBIAN_FOLDER, Mnist.Split.TEST), IntStream.range(0, 1_000).toArray());
        ModelSpec spec = Models.forMnist("mlp");
        Function<Module, Optimizer> adam = model -> Adam.builder(model.parameters()).lr(1e-3).build();
        Run reference = local(spec, train, 100, 1, adam);                        // 15 steps of 100
        Trainer.Evaluation expected = evaluate(reference.model(), test);
        assertTrue(expected.accuracy() > 0.6, "15 steps train the MLP: " + expected);
        for (int partitions : new int[] {2, 4}) {
            Run run = onSpark(spec, train, 100, 1, partitions, adam);
            double difference = maxDifference(reference.weights(), run.weights());
            assertTrue(difference < 1e-4, partitions + " partitions: weights differ by " + difference);
            Trainer.Evaluation measured = evaluate(run.model(), test);
            // the same predictions but on a knife's edge: at most one of 1,000 images may flip
            assertEquals(expected.accuracy(), measured.accuracy(), 0.0011, partitions + " partitions");
            assertEquals(expected.loss(), measured.loss(), 1e-4);
        }
    }

    private static Trainer.Evaluation evaluate(Module model, Dataset test) {
        return new Trainer(model, new CrossEntropyLoss(), sgd(model), Metric.multiclassAccuracy()).evaluate(test, 500);
    }

    @Test
    void aTaskKilledOnItsFirstAttemptIsRetriedAndTheWeightsAreTheSameBits() {
        Dataset train = ToySets.moons(256, 0.1, new Generator(3));
        ModelSpec spec = Models.mlp(new int[] {2}, 2);
        Run unharmed = onSpark(spec, train, 64, 2, 2, SparkTrainerTest::adam);
        Module model = spec.build(new Generator(0));
        SparkTrainer trainer = sparkTrainer(spec, model, adam(model), 2);
        trainer.failTaskOnce(5, 1);                                             // step 6's task on partition 1
        int failedBefore = ShareStep.INJECTED_FAILURES.get();
        trainer.fit(new DataLoader(train, 64, true, new Generator(1)), null, 2);
        assertEquals(failedBefore + 1, ShareStep.INJECTED_FAILURES.get(), "the task failed once, and Spark retried it");
        assertSameBits(unharmed.weights(), model.stateDict());
    }

    @Test
    void aRunResumedFromItsCheckpointEndsWithTheWeightsOfOneNeverStopped(@TempDir Path folder) throws IOException {
        Dataset train = ToySets.circle(200, 0.1, new Generator(4));
        ModelSpec spec = Models.mlp(new int[] {2}, 2);
        Run whole = onSpark(spec, train, 32, 2, 2, SparkTrainerTest::adam);     // 7 steps an epoch

        Module first = spec.build(new Generator(0));
        Optimizer firstAdam = adam(first);
        SparkTrainer stopping = sparkTrainer(spec, first, firstAdam, 2);
        int[] steps = {0};
        stopping.checkpoint(new Checkpoint(folder, first, firstAdam, Map.of(), 2), false, 0)
                .stopWhen(() -> ++steps[0] == 10);                              // in the second epoch
        stopping.fit(new DataLoader(train, 32, true, new Generator(1)), null, 2);
        assertTrue(stopping.stopped());

        Checkpoint.Loaded saved = Checkpoint.read(folder);
        assertEquals(2, saved.state().epoch());
        assertEquals(2, saved.state().step());                            // the 10th check: 7 steps, the epoch, 2 steps
        Module resumed = spec.build(new Generator(99));                         // other weights, replaced
        Optimizer resumedAdam = adam(resumed);
        saved.restore(resumed, resumedAdam);
        SparkTrainer again = sparkTrainer(spec, resumed, resumedAdam, 2);
        History history = again.fit(new DataLoader(train, 32, true, new Generator(12345)), null, 2, saved.state());
        assertSameBits(whole.weights(), resumed.stateDict());
        assertEquals(whole.history().trainLoss()[1], history.trainLoss()[1], 0);
    }

    private static Run inBarrierMode(ModelSpec spec, Dataset train, int batch, int epochs, int partitions,
            Function<Module, Optimizer> optimizer) {
        Module model = spec.build(new Generator(0));
        SparkTrainer trainer = sparkTrainer(spec, model, optimizer.apply(model), partitions).sync(SparkTrainer.Sync.BARRIER);
        History history = trainer.fit(new DataLoader(train, batch, true, new Generator(1)), null, epochs);
        return new Run(model.stateDict(), history, model);
    }

    @Test
    void barrierModeOnOneAndTwoPartitionsGivesTheLocalTrainersWeightsAndTheJobModesBits() {
        Dataset train = ToySets.spiral(300, 0.05, new Generator(5));
        ModelSpec spec = Models.mlp(new int[] {2}, 2);
        // Adam: its moments and step counts make the round trip to the tasks and back each stage
        Function<Module, Optimizer> optimizer = SparkTrainerTest::adam;
        Run reference = local(spec, train, 64, 3, optimizer);                       // 15 steps, 3 stages (epochs)
        for (int partitions : new int[] {1, 2}) {
            Run run = inBarrierMode(spec, train, 64, 3, partitions, optimizer);
            if (partitions == 1) {
                assertSameBits(reference.weights(), run.weights());
            }
            double difference = maxDifference(reference.weights(), run.weights());
            // Adam divides by √v: its steps amplify the rounding of tiny gradients more than SGD's
            assertTrue(difference < 1e-4, partitions + " partitions: weights differ by " + difference);
            assertEquals(reference.history().trainLoss()[2], run.history().trainLoss()[2], 1e-5);
        }
        // the same shares, added in the same order, stepped by the same optimizer: the job mode's bits
        assertSameBits(onSpark(spec, train, 64, 3, 2, optimizer).weights(), inBarrierMode(spec, train, 64, 3, 2,
                optimizer).weights());
    }

    @Test
    void aBarrierTaskKilledOnTheStagesFirstAttemptRestartsTheStageAndTheWeightsAreTheSameBits() {
        Dataset train = ToySets.moons(256, 0.1, new Generator(3));
        ModelSpec spec = Models.mlp(new int[] {2}, 2);
        Run unharmed = inBarrierMode(spec, train, 64, 2, 2, SparkTrainerTest::adam);
        Module model = spec.build(new Generator(0));
        SparkTrainer trainer = sparkTrainer(spec, model, adam(model), 2).sync(SparkTrainer.Sync.BARRIER);
        trainer.failTaskOnce(5, 1);                                             // step 6, the second stage's second step
        int failedBefore = ShareStep.INJECTED_FAILURES.get();
        History history = trainer.fit(new DataLoader(train, 64, true, new Generator(1)), null, 2);
        assertEquals(failedBefore + 1, ShareStep.INJECTED_FAILURES.get(), "the task failed once, and Spark restarted the stage");
        assertSameBits(unharmed.weights(), model.stateDict());
        assertEquals(unharmed.history().trainLoss()[1], history.trainLoss()[1], 0);
    }

    @Test
    void barrierModeCheckpointsAtStageBoundariesAndAResumedRunEndsWithTheSameBits(@TempDir Path folder) throws IOException {
        Dataset train = ToySets.circle(200, 0.1, new Generator(4));
        ModelSpec spec = Models.mlp(new int[] {2}, 2);
        Run whole = inBarrierMode(spec, train, 32, 2, 2, SparkTrainerTest::adam); // 7 steps an epoch
        Module first = spec.build(new Generator(0));
        Optimizer firstAdam = adam(first);
        SparkTrainer stopping = sparkTrainer(spec, first, firstAdam, 2).sync(SparkTrainer.Sync.BARRIER);
        int[] checks = {0};
        stopping.checkpoint(new Checkpoint(folder, first, firstAdam, Map.of(), 2), false, 3)
                .stopWhen(() -> ++checks[0] == 5);      // stages of 3, 3, 1 steps, the epoch's end, 2: stop at step 9
        stopping.fit(new DataLoader(train, 32, true, new Generator(1)), null, 2);
        assertTrue(stopping.stopped());
        Checkpoint.Loaded saved = Checkpoint.read(folder);
        assertEquals(9, saved.state().globalStep());
        assertEquals(2, saved.state().epoch());
        assertEquals(2, saved.state().step());
        Module resumed = spec.build(new Generator(99));
        Optimizer resumedAdam = adam(resumed);
        saved.restore(resumed, resumedAdam);
        SparkTrainer again = sparkTrainer(spec, resumed, resumedAdam, 2).sync(SparkTrainer.Sync.BARRIER);
        History history = again.fit(new DataLoader(train, 32, true, new Generator(12345)), null, 2, saved.state());
        assertSameBits(whole.weights(), resumed.stateDict());
        assertEquals(whole.history().trainLoss()[1], history.trainLoss()[1], 0);
    }

    @Test
    void barrierModeRefusesMorePartitionsThanTaskSlots() {
        Dataset train = ToySets.moons(64, 0.1, new Generator(3));
        ModelSpec spec = Models.mlp(new int[] {2}, 2);
        Module model = spec.build(new Generator(0));
        SparkTrainer trainer = sparkTrainer(spec, model, sgd(model), 4).sync(SparkTrainer.Sync.BARRIER);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> trainer.fit(new DataLoader(train, 16, true, new Generator(1)), null, 1));
        assertTrue(e.getMessage().contains("4 tasks at once") && e.getMessage().contains("2 task slots"), e.getMessage());
    }

    @Test
    void aModelWithBatchNormIsRefusedByName() {
        ModelSpec spec = new ModelSpec(new int[] {2}, List.of(new Linear.Spec(2, 4), new BatchNorm1d.Spec(4),
                new Linear.Spec(4, 2)));
        Module model = spec.build(new Generator(0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> sparkTrainer(spec, model, sgd(model), 2));
        assertTrue(e.getMessage().contains("1.running_mean"), e.getMessage());
        assertTrue(e.getMessage().contains("BatchNorm"), e.getMessage());
    }

    /** As core's {@code dev.soma.testing.Installed} (in core's test sources): skip, or fail when CI requires it. */
    private static void requireFashionMnist() {
        if (Files.isDirectory(DEBIAN_FOLDER)) {
            return;
        }
        String message = "dataset-fashion-mnist is not installed (apt-get install dataset-fashion-mnist): no folder "
                + DEBIAN_FOLDER;
        String required = System.getenv("SOMA_REQUIRE");
        if (required != null && List.of(required.split("[\\s,]+")).contains("dataset-fashion-mnist")) {
            throw new AssertionError("SOMA_REQUIRE=\"" + required + "\" requires it, but " + message);
        }
        Assumptions.abort(message);
    }
}
