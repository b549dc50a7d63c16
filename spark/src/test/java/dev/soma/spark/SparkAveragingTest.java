package dev.soma.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.soma.data.DataLoader;
import dev.soma.data.Dataset;
import dev.soma.data.ToySets;
import dev.soma.io.Checkpoint;
import dev.soma.nn.CrossEntropyLoss;
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
import dev.soma.train.TrainingDivergedException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Parameter averaging ({@link SparkTrainer.Sync#AVERAGE}) held to three references: one partition is
 * the local {@link Trainer}, bit for bit, whatever K; two partitions with K = 1 and SGD are the
 * synchronous mode, to float rounding; two partitions with K = 3 are the same algorithm written out
 * here with core's modules alone. Retries and resumes change no bit. {@code local[2,2]}, as
 * {@code SparkTrainerTest}.
 */
class SparkAveragingTest {

    private static SparkSession spark;

    @BeforeAll
    static void start() {
        spark = SparkSessions.start("local[2,2]", "SparkAveragingTest");
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    private static final ModelSpec SPEC = Models.mlp(new int[] {2}, 2);

    private static Optimizer adam(Module model) {
        return Adam.builder(model.parameters()).lr(1e-2).build();
    }

    private static Optimizer plainSgd(Module model) {
        return SGD.builder(model.parameters(), 0.1).build();
    }

    private static Optimizer momentumSgd(Module model) {
        return SGD.builder(model.parameters(), 0.1).momentum(0.9).weightDecay(1e-3).build();
    }

    private static SparkTrainer trainer(Module model, Optimizer optimizer, int partitions, SparkTrainer.Sync sync) {
        return new SparkTrainer(spark, partitions, SPEC, model, CrossEntropyLoss::new, optimizer,
                Metric::multiclassAccuracy, 0).sync(sync);
    }

    private static DataLoader loader(Dataset train, int batch) {
        return new DataLoader(train, batch, true, new Generator(1));
    }

    /** Trains a fresh model (seed 0) on Spark; returns it. */
    private static Module onSpark(Dataset train, int batch, int epochs, int partitions, SparkTrainer.Sync sync, int k,
            Function<Module, Optimizer> optimizer) {
        Module model = SPEC.build(new Generator(0));
        trainer(model, optimizer.apply(model), partitions, sync).localSteps(k).fit(loader(train, batch), null, epochs);
        return model;
    }

    private static Module local(Dataset train, int batch, int epochs, Function<Module, Optimizer> optimizer) {
        Module model = SPEC.build(new Generator(0));
        new Trainer(model, new CrossEntropyLoss(), optimizer.apply(model), Metric.multiclassAccuracy())
                .fit(loader(train, batch), null, epochs);
        return model;
    }

    private static double maxDifference(Module a, Module b) {
        double max = 0;
        List<Tensor> x = a.parameters();
        List<Tensor> y = b.parameters();
        for (int i = 0; i < x.size(); i++) {
            float[] u = x.get(i).toArray();
            float[] v = y.get(i).toArray();
            for (int j = 0; j < u.length; j++) {
                max = Math.max(max, Math.abs(u[j] - v[j]));
            }
        }
        return max;
    }

    private static void assertSameBits(Module a, Module b) {
        Map<String, Tensor> x = a.stateDict();
        Map<String, Tensor> y = b.stateDict();
        assertEquals(x.keySet(), y.keySet());
        for (String key : x.keySet()) {
            float[] u = x.get(key).toArray();
            float[] v = y.get(key).toArray();
            for (int j = 0; j < u.length; j++) {
                assertEquals(Float.floatToRawIntBits(u[j]), Float.floatToRawIntBits(v[j]), key + "[" + j + "]");
            }
        }
    }

    @Test
    void onePartitionIsTheLocalTrainerBitForBitWhateverTheLocalSteps() {
        Dataset train = ToySets.spiral(300, 0.05, new Generator(5));
        for (Function<Module, Optimizer> optimizer : List.<Function<Module, Optimizer>>of(SparkAveragingTest::adam,
                SparkAveragingTest::momentumSgd)) {
            Module reference = local(train, 64, 3, optimizer);                   // 15 steps, 5 an epoch
            for (int k : new int[] {1, 3, 8}) {
                // Adam's moments and step counts go to the task and back each round, averaged with weight 1
                assertSameBits(reference, onSpark(train, 64, 3, 1, SparkTrainer.Sync.AVERAGE, k, optimizer));
            }
        }
    }

    @Test
    void twoPartitionsWithOneLocalStepAndSgdTakeTheSynchronousSteps() {
        Dataset train = ToySets.spiral(300, 0.05, new Generator(5));
        // plain SGD: Σₚ (nₚ/B)(w − lr·gₚ) = w − lr·(the batch's mean gradient); momentum and weight decay are
        // linear in the gradient, so with the buffers averaged alike they take the synchronous step too
        for (Function<Module, Optimizer> optimizer : List.<Function<Module, Optimizer>>of(SparkAveragingTest::plainSgd,
                SparkAveragingTest::momentumSgd)) {
            Module synchronous = onSpark(train, 64, 3, 2, SparkTrainer.Sync.JOBS, 1, optimizer);
            Module averaged = onSpark(train, 64, 3, 2, SparkTrainer.Sync.AVERAGE, 1, optimizer);
            double difference = maxDifference(synchronous, averaged);
            assertTrue(difference < 1e-5, "K = 1: weights differ by " + difference);
            // and more local steps are an approximation: the copies drift apart between averages
            Module drifted = onSpark(train, 64, 3, 2, SparkTrainer.Sync.AVERAGE, 5, optimizer);
            assertTrue(maxDifference(synchronous, drifted) > 1e-3, "K = 5 is not the synchronous run");
        }
    }

    @Test
    void twoPartitionsWithThreeLocalStepsAreTheAlgorithmWrittenOutWithCoreAlone() {
        Dataset train = ToySets.moons(200, 0.1, new Generator(3));
        int batch = 40;
        int partitions = 2;
        int k = 3;
        int epochs = 2;                                                         // 5 steps an epoch: rounds of 3 and 2
        Module spark = onSpark(train, batch, epochs, partitions, SparkTrainer.Sync.AVERAGE, k, SparkAveragingTest::plainSgd);

        Module reference = SPEC.build(new Generator(0));
        DataLoader loader = loader(train, batch);
        int n = train.size();
        for (int epoch = 0; epoch < epochs; epoch++) {
            int[][] batches = loader.positions(0);
            for (int first = 0; first < batches.length; first += k) {
                int last = Math.min(batches.length, first + k);
                int seen = 0;
                int[] seenBy = new int[partitions];
                float[][][] copies = new float[partitions][][];
                for (int p = 0; p < partitions; p++) {
                    int from = p * n / partitions;
                    int to = (p + 1) * n / partitions;
                    Module copy = SPEC.build(new Generator(0));
                    for (int i = 0; i < copy.parameters().size(); i++) {
                        float[] start = reference.parameters().get(i).toArray();
                        System.arraycopy(start, 0, copy.parameters().get(i).denseStorage(), 0, start.length);
                    }
                    Optimizer sgd = plainSgd(copy);
                    for (int b = first; b < last; b++) {
                        int[] mine = Arrays.stream(batches[b]).filter(i -> i >= from && i < to).toArray();
                        if (mine.length == 0) {
                            continue;
                        }
                        sgd.zeroGrad();
                        var share = train.batch(mine);
                        new CrossEntropyLoss().forward(copy.forward(share.inputs()), share.targets()).backward();
                        sgd.step();
                        seenBy[p] += mine.length;
                    }
                    seen += seenBy[p];
                    copies[p] = copy.parameters().stream().map(Tensor::toArray).toArray(float[][]::new);
                }
                for (int i = 0; i < reference.parameters().size(); i++) {
                    float[] averaged = new float[copies[0][i].length];
                    for (int j = 0; j < averaged.length; j++) {
                        double w = 0;
                        for (int p = 0; p < partitions; p++) {
                            w += (double) seenBy[p] / seen * copies[p][i][j];
                        }
                        averaged[j] = (float) w;
                    }
                    System.arraycopy(averaged, 0, reference.parameters().get(i).denseStorage(), 0, averaged.length);
                }
            }
        }
        double difference = maxDifference(reference, spark);
        assertTrue(difference < 1e-6, "weights differ by " + difference);
    }

    @Test
    void theSameSeedGivesTheSameBitsAndARetriedTaskChangesNothing() {
        Dataset train = ToySets.moons(256, 0.1, new Generator(3));
        Module once = onSpark(train, 64, 2, 2, SparkTrainer.Sync.AVERAGE, 3, SparkAveragingTest::adam);
        Module again = onSpark(train, 64, 2, 2, SparkTrainer.Sync.AVERAGE, 3, SparkAveragingTest::adam);
        assertSameBits(once, again);

        Module model = SPEC.build(new Generator(0));
        SparkTrainer trainer = trainer(model, adam(model), 2, SparkTrainer.Sync.AVERAGE).localSteps(3);
        trainer.failTaskOnce(4, 1);                                             // the round of steps 4-6, partition 1
        int failedBefore = LocalSteps.INJECTED_FAILURES.get();
        trainer.fit(loader(train, 64), null, 2);
        assertEquals(failedBefore + 1, LocalSteps.INJECTED_FAILURES.get(), "the task failed once, and Spark retried it");
        assertSameBits(once, model);
    }

    @Test
    void aRunResumedFromACheckpointAtARoundsEndEndsWithTheBitsOfOneNeverStopped(@TempDir Path folder)
            throws IOException {
        Dataset train = ToySets.circle(200, 0.1, new Generator(4));             // 7 steps an epoch of 32
        Module whole = SPEC.build(new Generator(0));
        Optimizer wholeAdam = adam(whole);
        trainer(whole, wholeAdam, 2, SparkTrainer.Sync.AVERAGE).localSteps(4)
                .checkpoint(new Checkpoint(folder.resolve("whole"), whole, wholeAdam, Map.of(), 2), false, 3)
                .fit(loader(train, 32), null, 2);

        Module first = SPEC.build(new Generator(0));
        Optimizer firstAdam = adam(first);
        SparkTrainer stopping = trainer(first, firstAdam, 2, SparkTrainer.Sync.AVERAGE).localSteps(4);
        int[] checks = {0};
        // rounds end after 4 steps, at each checkpoint (every 3 steps) and at each epoch's end: after global
        // steps 3, 6, 7 (then the epoch's own check), 9: the 5th check
        stopping.checkpoint(new Checkpoint(folder.resolve("stopped"), first, firstAdam, Map.of(), 2), false, 3)
                .stopWhen(() -> ++checks[0] == 5);
        stopping.fit(loader(train, 32), null, 2);
        assertTrue(stopping.stopped());
        Checkpoint.Loaded saved = Checkpoint.read(folder.resolve("stopped"));
        assertEquals(2, saved.state().epoch());
        assertEquals(2, saved.state().step(), "the 4th round ends at step 9: the second epoch's step 2");

        Module resumed = SPEC.build(new Generator(99));
        Optimizer resumedAdam = adam(resumed);
        saved.restore(resumed, resumedAdam);
        History history = trainer(resumed, resumedAdam, 2, SparkTrainer.Sync.AVERAGE).localSteps(4)
                .checkpoint(new Checkpoint(folder.resolve("resumed"), resumed, resumedAdam, Map.of(), 2), false, 3)
                .fit(new DataLoader(train, 32, true, new Generator(12345)), null, 2, saved.state());
        assertSameBits(whole, resumed);
        assertEquals(2, history.epochs().size());
    }

    @Test
    void aDivergingCopyStopsTheRunAtItsStep() {
        Dataset train = ToySets.moons(256, 0.1, new Generator(3));
        Module model = SPEC.build(new Generator(0));
        SparkTrainer trainer = trainer(model, SGD.builder(model.parameters(), 1e30).build(), 2, SparkTrainer.Sync.AVERAGE)
                .localSteps(4);
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class,
                () -> trainer.fit(loader(train, 64), null, 1));
        assertTrue(e.getMessage().contains("partition"), e.getMessage());
        assertTrue(e.getMessage().contains("NaN") || e.getMessage().contains("Infinity")
                || e.getMessage().contains("infinite"), e.getMessage());
    }

    @Test
    void localStepsBelowOneAreRefused() {
        Module model = SPEC.build(new Generator(0));
        SparkTrainer trainer = trainer(model, adam(model), 2, SparkTrainer.Sync.AVERAGE);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> trainer.localSteps(0));
        assertEquals("local steps between averages must be ≥ 1, got 0", e.getMessage());
    }

    @Test
    void theAverageWeighsEachCopyByItsExamplesInPartitionOrder() {
        OptimizerState none = new OptimizerState("SGD", Map.of(), Map.of(), Map.of());
        OptimizerState a = new OptimizerState("SGD", Map.of(), Map.of(0, 4), Map.of(0, Map.of("momentum_buffer",
                new float[] {1, -2})));
        OptimizerState b = new OptimizerState("SGD", Map.of(), Map.of(0, 3), Map.of(0, Map.of("momentum_buffer",
                new float[] {5, 6})));
        // 3 examples and 1: weights 3/4 and 1/4
        LocalSteps.Result p0 = new LocalSteps.Result(0, new float[][] {{1, 2}}, a, new int[] {2, 1}, new double[2],
                new long[2], null, -1);
        LocalSteps.Result p1 = new LocalSteps.Result(1, new float[][] {{5, 6}}, b, new int[] {0, 1}, new double[2],
                new long[2], null, -1);
        float[][] w = WeightAverage.weights(List.of(p0, p1), new float[][] {{0, 0}});
        assertArrayEquals(new float[] {0.75f * 1 + 0.25f * 5, 0.75f * 2 + 0.25f * 6}, w[0], 0f);
        OptimizerState state = WeightAverage.optimizer(List.of(p0, p1), none);
        assertArrayEquals(new float[] {0.75f * 1 + 0.25f * 5, 0.75f * -2 + 0.25f * 6},
                state.buffers().get(0).get("momentum_buffer"), 0f);
        assertEquals(4, state.steps().get(0), "the larger step count");
        // a copy that saw nothing has weight 0; one copy alone keeps its bits, −0 included
        LocalSteps.Result idle = new LocalSteps.Result(1, new float[][] {{9, 9}}, b, new int[] {0, 0}, new double[2],
                new long[2], null, -1);
        LocalSteps.Result negativeZero = new LocalSteps.Result(0, new float[][] {{-0f, 0.1f}}, a, new int[] {1, 1},
                new double[2], new long[2], null, -1);
        float[][] alone = WeightAverage.weights(List.of(negativeZero, idle), new float[][] {{0, 0}});
        assertEquals(Float.floatToRawIntBits(-0f), Float.floatToRawIntBits(alone[0][0]));
        assertEquals(0.1f, alone[0][1], 0f);
    }
}
