package dev.soma.spark;

import dev.soma.data.DataLoader;
import dev.soma.data.Dataset;
import dev.soma.io.ModelSpecJson;
import dev.soma.nn.Loss;
import dev.soma.nn.ModelSpec;
import dev.soma.nn.Module;
import dev.soma.optim.Optimizer;
import dev.soma.tensor.Generator;
import dev.soma.tensor.Tensor;
import dev.soma.train.Callback;
import dev.soma.train.CheckpointSink;
import dev.soma.train.EpochStats;
import dev.soma.train.History;
import dev.soma.train.Metric;
import dev.soma.train.Trainer;
import dev.soma.train.TrainingDivergedException;
import dev.soma.train.TrainingLoop;
import dev.soma.train.TrainingState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;

/**
 * Synchronous data-parallel training on Spark: mini-batch SGD (or Adam, …) over the global batch,
 * exactly the local {@link Trainer}'s loop with the gradient computed by the cluster.
 *
 * <pre>{@code
 * for each step (the loader's batches, the same as the local Trainer's for the same seed):
 *     broadcast the parameters
 *     each partition: the gradient of its share of the batch ((1/B)·Σ over its examples of ℓᵢ)
 *     treeAggregate the shares; the driver adds them in partition order
 *     the driver's optimizer steps
 * }</pre>
 *
 * That is {@link Sync#JOBS}, one Spark job a step. {@link Sync#BARRIER} runs a stretch of steps in one
 * barrier stage instead ({@link BarrierStage}): the tasks send their shares to a hub on the driver
 * ({@link GradientHub}), which adds them in the same order and sends the sum back, and each task takes
 * the optimizer step itself; the weights are the job mode's, bit for bit, without a job's cost a step.
 * {@link Sync#AVERAGE} is not this loop but an approximation of it: each partition takes
 * {@link #localSteps K} steps on its own copy, then the driver averages the copies (docs/SPARK.md
 * measures what it costs in accuracy); with one partition it is still the local Trainer, bit for bit.
 *
 * The training set is cut into partitions once and cached on the executors ({@link PartitionedData});
 * each step sends the batch's positions and the weights, and brings back one gradient per partition.
 * With the same seeds the weights equal the local Trainer's to float rounding (the batch is split in
 * pieces, so the products add in another order), and are the same, bit for bit, from run to run and
 * whatever the tasks' order or retries ({@link GradientSum}). With one partition they are the local
 * Trainer's bit for bit: the same products, and the loss scaled by {@code n/B = 1}.
 *
 * <p>Callbacks, checkpoints ({@link CheckpointSink}, {@code io.Checkpoint}: the driver's model,
 * optimizer and {@link TrainingState}) and {@link #stopWhen} work as the Trainer's, and a resumed run
 * ends with the weights of a run never stopped. The validation set is evaluated on the driver.
 *
 * <p>Not supported: models with buffers (BatchNorm's running statistics): each partition would
 * normalise its share by its own batch statistics, which is not the global batch's normalisation, so
 * the gradient would not be the local one; such a model is refused by name. A loss must be a mean over
 * the examples ({@code CrossEntropyLoss} without class weights or ignored targets, {@code MSELoss}):
 * a weighted mean does not split into partitions' shares this way.
 */
public final class SparkTrainer implements TrainingLoop {

    /** How the partitions' gradients meet each step (docs/SPARK.md measures both). */
    public enum Sync {
        /**
         * One barrier stage runs many steps (an epoch, a checkpoint interval, at most {@value #STAGE_STEPS}):
         * its tasks exchange gradients with an all-gather and each takes the same optimizer step.
         */
        BARRIER,
        /** One Spark job a step: the weights broadcast, the shares aggregated to the driver, which steps. */
        JOBS,
        /**
         * Parameter averaging, an approximation: one job a round, in which each partition takes
         * {@link #localSteps} steps of its own copy on its shares of the round's global batches, and the
         * driver averages the copies' weights and optimizer state ({@link LocalSteps}, {@link WeightAverage}).
         */
        AVERAGE
    }

    /** The most steps one barrier stage runs (the run can stop, and callbacks see steps, only between stages). */
    static final int STAGE_STEPS = 100;

    private final JavaSparkContext spark;
    private final int partitions;
    private final ModelSpec spec;
    private final String specJson;
    private final Module model;
    private final Factory<Loss> loss;
    private final Optimizer optimizer;
    private final Factory<Metric> metric;
    private final List<Callback> callbacks = new ArrayList<>();
    private final long seed;
    private CheckpointSink checkpoints;
    private boolean checkpointEachEpoch;
    private int checkpointEverySteps;
    private BooleanSupplier stopWhen = () -> false;
    private TrainingState lastState;
    private boolean stopped;
    private long failStep = -1;
    private int failPartition = -1;
    private Sync sync = Sync.JOBS;
    private int localSteps = 8;

    /**
     * Trains {@code model} (built from {@code spec}; modified) with {@code optimizer} on {@code partitions}
     * partitions of the session's cluster.
     *
     * @param loss builds the loss on the executors, e.g. {@code CrossEntropyLoss::new}
     * @param metric builds the accuracy metric there, or null for none
     * @param seed seeds the executors' replicas (dropout's masks, per step and partition)
     */
    public SparkTrainer(SparkSession session, int partitions, ModelSpec spec, Module model, Factory<Loss> loss,
            Optimizer optimizer, Factory<Metric> metric, long seed) {
        if (partitions < 1) {
            throw new IllegalArgumentException("SparkTrainer: partitions must be ≥ 1, got " + partitions);
        }
        Map<String, Tensor> state = model.stateDict();
        Map<String, Tensor> parameters = model.namedParameters();
        List<String> buffers = state.keySet().stream().filter(name -> !parameters.containsKey(name)).toList();
        if (!buffers.isEmpty()) {
            throw new IllegalArgumentException("soma-spark does not train models with buffers yet (" + buffers
                    + "): BatchNorm normalises each partition's share by its own batch statistics, not the"
                    + " global batch's, so the gradient would differ from the local Trainer's; use a model"
                    + " without BatchNorm");
        }
        this.spark = JavaSparkContext.fromSparkContext(session.sparkContext());
        this.partitions = partitions;
        this.spec = spec;
        this.specJson = ModelSpecJson.toJson(spec);
        this.model = model;
        this.loss = loss;
        this.optimizer = optimizer;
        this.metric = metric;
        this.seed = seed;
    }

    /**
     * Chooses how gradients meet (default {@link Sync#JOBS}); returns this trainer. {@link Sync#BARRIER}
     * needs an optimizer it can rebuild on the executors (SGD, Adam, AdamW, RMSprop) and as many free
     * task slots as partitions, as a barrier stage starts all its tasks at once; {@link Sync#AVERAGE}
     * needs such an optimizer too.
     */
    public SparkTrainer sync(Sync mode) {
        if (mode == Sync.BARRIER && !OptimizerState.known(optimizer)) {
            throw new IllegalArgumentException("barrier mode rebuilds the optimizer on each executor and knows "
                    + OptimizerState.KINDS + ", not " + optimizer.getClass().getName() + "; use the job-per-step mode");
        }
        if (mode == Sync.AVERAGE && !OptimizerState.known(optimizer)) {
            throw new IllegalArgumentException("parameter averaging rebuilds the optimizer on each executor and knows "
                    + OptimizerState.KINDS + ", not " + optimizer.getClass().getName() + "; use the job-per-step mode");
        }
        this.sync = mode;
        return this;
    }

    /**
     * The steps each partition takes between averages in {@link Sync#AVERAGE} mode (default 8); returns
     * this trainer. A round also ends at an epoch's end and at a checkpoint ({@code everySteps}).
     */
    public SparkTrainer localSteps(int k) {
        if (k < 1) {
            throw new IllegalArgumentException("local steps between averages must be ≥ 1, got " + k);
        }
        this.localSteps = k;
        return this;
    }

    /** Adds a callback; returns this trainer. */
    @Override
    public SparkTrainer callback(Callback callback) {
        callbacks.add(callback);
        return this;
    }

    /** As {@link Trainer#checkpoint}: after each epoch when {@code eachEpoch}, every N steps when N &gt; 0. */
    @Override
    public SparkTrainer checkpoint(CheckpointSink sink, boolean eachEpoch, int everySteps) {
        if (everySteps < 0) {
            throw new IllegalArgumentException("checkpoint: steps between checkpoints must be ≥ 0, got " + everySteps);
        }
        this.checkpoints = sink;
        this.checkpointEachEpoch = eachEpoch;
        this.checkpointEverySteps = everySteps;
        return this;
    }

    /** As {@link Trainer#stopWhen}: ends the run (with a checkpoint) after the first step at which it holds. */
    @Override
    public SparkTrainer stopWhen(BooleanSupplier condition) {
        this.stopWhen = condition;
        return this;
    }

    /** Whether the last {@link #fit} was ended by the {@link #stopWhen} condition. */
    @Override
    public boolean stopped() {
        return stopped;
    }

    /** Where the last {@link #fit} ended (null before any). */
    @Override
    public TrainingState lastState() {
        return lastState;
    }

    /**
     * The bytes a step moves on a cluster, 4 bytes a number. Job mode: the parameters to each
     * partition's executor (at most one copy per partition) and one gradient back from each, plus the
     * batch's positions. Barrier mode: each task's share to the driver's {@link GradientHub} and the
     * sum back to each task; the weights and optimizer state travel once a stage, not counted.
     */
    public long bytesPerStep(int batchSize) {
        long numbers = model.parameterCount();
        if (sync == Sync.BARRIER) {
            return 2L * 4 * numbers * partitions;
        }
        if (sync == Sync.AVERAGE) {
            // a round: weights and optimizer state to each partition and back, plus the K batches' positions
            long state = OptimizerState.of(optimizer).buffers().values().stream()
                    .flatMap(b -> b.values().stream()).mapToLong(b -> b.length).sum();
            return (2L * 4 * (numbers + state) * partitions + 4L * batchSize * localSteps) / localSteps;
        }
        return 2L * 4 * numbers * partitions + 4L * batchSize;
    }

    /** A test hook: the task of global step {@code step} (from 0) on {@code partition} throws on its first attempt. */
    void failTaskOnce(long step, int partition) {
        this.failStep = step;
        this.failPartition = partition;
    }

    /** Trains for up to {@code epochs} epochs; as {@link #fit(DataLoader, Dataset, int, TrainingState)} from the start. */
    public History fit(DataLoader train, Dataset validation, int epochs) {
        return fit(train, validation, epochs, null);
    }

    /**
     * As {@link Trainer#fit(DataLoader, Dataset, int, TrainingState)}: the loader's batches (its
     * dataset, batch size, shuffling and generator) are the steps' global batches; {@code from}
     * continues a checkpointed run whose weights and optimizer state the caller restored.
     */
    @Override
    public History fit(DataLoader train, Dataset validation, int epochs, TrainingState from) {
        if (epochs < 0) {
            throw new IllegalArgumentException("fit: epochs must be ≥ 0, got " + epochs);
        }
        if (train.dataset().size() == 0) {
            throw new IllegalArgumentException("fit: the training data has no examples");
        }
        int slots = spark.defaultParallelism();
        if (sync == Sync.BARRIER && partitions > slots) {
            throw new IllegalArgumentException("barrier mode starts its " + partitions + " tasks at once, but the cluster"
                    + " has " + slots + " task slots (local[N]: N); use at most " + slots + " partitions or the job-per-step mode");
        }
        try (PartitionedData data = PartitionedData.of(spark, train.dataset(), partitions)) {
            return run(data, train, validation, epochs, from);
        }
    }

    private History run(PartitionedData data, DataLoader train, Dataset validation, int epochs, TrainingState from) {
        List<Tensor> parameters = model.parameters();
        List<String> names = List.copyOf(model.namedParameters().keySet());
        History history = new History();
        Generator shuffle = train.generator();
        long globalStep = 0;
        int firstEpoch = 1;
        if (from != null) {
            from.history().forEach(history::add);
            globalStep = from.globalStep();
            firstEpoch = from.epoch();
            Generator.global().setState(from.generators().getFirst());
        }
        stopped = false;
        lastState = from;
        Callback.TrainStart start = new Callback.TrainStart(epochs, train.batches());
        callbacks.forEach(c -> c.onTrainStart(start));
        for (int epoch = firstEpoch; epoch <= epochs; epoch++) {
            model.train();
            long began = System.nanoTime();
            boolean resumed = from != null && epoch == from.epoch();
            double lossSum = resumed ? from.lossSum() : 0;
            long correct = resumed ? from.correct() : 0;
            long seen = resumed ? from.seen() : 0;
            int batchIndex = resumed ? from.step() : 0;
            int batches = train.batches();
            Generator.State epochStart = resumed ? from.shuffleAtEpochStart() : shuffle.state();
            shuffle.setState(epochStart);
            int[][] pass = train.positions(batchIndex);
            if (resumed && batchIndex > 0) {
                shuffle.setState(from.shuffle());
            }
            for (int first = 0; first < pass.length; ) {
                int last = switch (sync) {
                    case JOBS -> first + 1;
                    case BARRIER -> stageEnd(first, pass.length, globalStep, STAGE_STEPS);
                    case AVERAGE -> stageEnd(first, pass.length, globalStep, localSteps);
                };
                int[][] stretch = java.util.Arrays.copyOfRange(pass, first, last);
                Steps steps = switch (sync) {
                    case JOBS -> step(data, stretch[0], globalStep, parameters, names, epoch, batchIndex);
                    case BARRIER -> stage(data, stretch, globalStep, parameters);
                    case AVERAGE -> round(data, stretch, globalStep, parameters, epoch, batchIndex);
                };
                for (int k = 0; k < steps.done(); k++) {
                    int[] batch = stretch[k];
                    double batchLoss = steps.lossSums()[k] / batch.length;
                    lossSum += steps.lossSums()[k];
                    seen += batch.length;
                    correct += steps.correct()[k];
                    batchIndex++;
                    globalStep++;
                    Callback.BatchEnd end = new Callback.BatchEnd(epoch, batchIndex, batches, batch.length, batchLoss);
                    callbacks.forEach(c -> c.onBatchEnd(end));
                    lastState = new TrainingState(epoch, batchIndex, globalStep, epochStart, shuffle.state(),
                            List.of(Generator.global().state()), lossSum, correct, seen, history.epochs());
                    // a barrier stage's weights are those after its last step: only there can the run stop
                    boolean stageEnds = k == stretch.length - 1;
                    boolean stopNow = stageEnds && stopWhen.getAsBoolean();
                    boolean due = checkpointEverySteps > 0 && globalStep % checkpointEverySteps == 0 && batchIndex < batches;
                    if (stopNow || due) {
                        save(lastState);
                    }
                    if (stopNow) {
                        return end(history, true);
                    }
                }
                if (steps.diverged() != null) {
                    throw new TrainingDivergedException(epoch, batchIndex + 1, steps.diverged());
                }
                first = last;
            }
            double seconds = (System.nanoTime() - began) / 1e9;
            Trainer.Evaluation checked = validation == null ? null
                    : new Trainer(model, loss.get(), optimizer, metric == null ? null : metric.get())
                            .evaluate(validation, train.batchSize());
            EpochStats stats = new EpochStats(epoch, seen == 0 ? Double.NaN : lossSum / seen,
                    metric == null || seen == 0 ? Double.NaN : (double) correct / seen,
                    checked == null ? Double.NaN : checked.loss(), checked == null ? Double.NaN : checked.accuracy(), seconds);
            history.add(stats);
            boolean stop = false;
            for (Callback c : callbacks) {
                stop |= c.onEpochEnd(stats);
            }
            Generator.State next = shuffle.state();
            lastState = new TrainingState(epoch + 1, 0, globalStep, next, next, List.of(Generator.global().state()),
                    0, 0, 0, history.epochs());
            boolean stopNow = !stop && epoch < epochs && stopWhen.getAsBoolean();
            if (checkpointEachEpoch || stopNow) {
                save(lastState);
            }
            if (stop || stopNow) {
                return end(history, stopNow);
            }
        }
        return end(history, false);
    }

    /** The steps a job or a barrier stage took: each one's loss sum and correct predictions; why it stopped early. */
    private record Steps(int done, double[] lossSums, long[] correct, String diverged) {
    }

    /** Where a stage or round that starts at {@code first} of an epoch's {@code batches} ends: a checkpoint, the epoch's end, or {@code most} steps on. */
    private int stageEnd(int first, int batches, long globalStep, int most) {
        long end = Math.min(batches, first + most);
        if (checkpointEverySteps > 0) {
            long toCheckpoint = checkpointEverySteps - globalStep % checkpointEverySteps;
            end = Math.min(end, first + toCheckpoint);
        }
        return (int) end;
    }

    /** One step in its own job: the gradient from the cluster, the optimizer's step on the driver. */
    private Steps step(PartitionedData data, int[] batch, long globalStep, List<Tensor> parameters, List<String> names,
            int epoch, int batchIndex) {
        GradientSum sum = gradient(data, batch, globalStep);
        double batchLoss = sum.lossSum() / batch.length;
        apply(sum, parameters, names, epoch, batchIndex + 1, batchLoss);
        return new Steps(1, new double[] {sum.lossSum()}, new long[] {sum.correct()}, null);
    }

    /** A stretch of steps in one barrier stage ({@link BarrierStage}); the driver takes task 0's weights and optimizer state. */
    private Steps stage(PartitionedData data, int[][] batches, long globalStep, List<Tensor> parameters) {
        float[][] values = new float[parameters.size()][];
        for (int i = 0; i < values.length; i++) {
            values[i] = parameters.get(i).toArray();
        }
        GradientHub hub = new GradientHub(spark.getConf().get("spark.driver.host"), data.partitions(), batches.length,
                (int) model.parameterCount(), parameters.size());
        Broadcast<BarrierStage.Start> start = spark.broadcast(
                new BarrierStage.Start(values, OptimizerState.of(optimizer), batches, globalStep, hub.address()));
        try (hub) {
            ShareStep shares = new ShareStep(specJson, ShareStep.drawsRandom(spec), null, null, loss, metric, seed, -1, -1);
            BarrierStage task = new BarrierStage(specJson, List.copyOf(model.namedParameters().keySet()), shares, start,
                    failStep, failPartition);
            // NOTE: Spark retries a failed barrier stage only if it is a shuffle map stage (a failed barrier
            // result stage aborts the job, as some results may have been delivered): the shuffle of
            // repartition(1) makes the barrier stage one, and a second, plain stage collects.
            List<BarrierStage.Result> results = new org.apache.spark.api.java.JavaRDD<>(
                    data.blocks().rdd().barrier().mapPartitions(task, false,
                            scala.reflect.ClassTag$.MODULE$.apply(BarrierStage.Result.class)),
                    scala.reflect.ClassTag$.MODULE$.apply(BarrierStage.Result.class)).repartition(1).collect();
            if (results.size() != 1) {
                throw new IllegalStateException("the barrier stage returned " + results.size() + " results, not task 0's one");
            }
            BarrierStage.Result result = results.getFirst();
            for (int i = 0; i < parameters.size(); i++) {
                System.arraycopy(result.weights()[i], 0, parameters.get(i).denseStorage(), 0, result.weights()[i].length);
                parameters.get(i).clearGrad();
            }
            result.optimizer().restore(optimizer);
            return new Steps(result.steps(), result.lossSums(), result.correct(), result.diverged());
        } finally {
            start.destroy();
        }
    }

    /**
     * One round of parameter averaging in one job: each partition's {@link LocalSteps} from the same
     * start, collected in partition order, averaged into the driver's weights and optimizer state
     * ({@link WeightAverage}). A step's loss and correct predictions are the copies' summed.
     */
    private Steps round(PartitionedData data, int[][] batches, long globalStep, List<Tensor> parameters, int epoch,
            int batchIndex) {
        float[][] values = new float[parameters.size()][];
        for (int i = 0; i < values.length; i++) {
            values[i] = parameters.get(i).toArray();
        }
        OptimizerState state = OptimizerState.of(optimizer);
        Broadcast<LocalSteps.Start> start = spark.broadcast(new LocalSteps.Start(values, state, batches, globalStep));
        try {
            boolean failHere = failStep >= globalStep && failStep < globalStep + batches.length;
            LocalSteps task = new LocalSteps(spec, List.copyOf(model.namedParameters().keySet()), start, loss, metric,
                    seed, failHere ? failPartition : -1);
            List<LocalSteps.Result> results = data.blocks().mapPartitionsWithIndex(task, false).collect();
            if (results.size() != data.partitions()) {
                throw new IllegalStateException(results.size() + " of " + data.partitions() + " partitions reported");
            }
            LocalSteps.Result first = results.stream().filter(r -> r.diverged() != null)
                    .min(java.util.Comparator.comparingInt(LocalSteps.Result::divergedAt)).orElse(null);
            if (first != null) {
                throw new TrainingDivergedException(epoch, batchIndex + first.divergedAt() + 1, first.diverged());
            }
            float[][] averaged = WeightAverage.weights(results, values);
            for (int i = 0; i < parameters.size(); i++) {
                System.arraycopy(averaged[i], 0, parameters.get(i).denseStorage(), 0, averaged[i].length);
                parameters.get(i).clearGrad();
            }
            WeightAverage.optimizer(results, state).restore(optimizer);
            double[] lossSums = new double[batches.length];
            long[] correct = new long[batches.length];
            for (LocalSteps.Result result : results) {
                for (int k = 0; k < batches.length; k++) {
                    lossSums[k] += result.lossSums()[k];
                    correct[k] += result.correct()[k];
                }
            }
            return new Steps(batches.length, lossSums, correct, null);
        } finally {
            start.destroy();
        }
    }

    /** One step's gradient: the weights broadcast, each partition's share, gathered in partition order. */
    private GradientSum gradient(PartitionedData data, int[] batch, long step) {
        List<Tensor> parameters = model.parameters();
        float[][] values = new float[parameters.size()][];
        for (int i = 0; i < values.length; i++) {
            values[i] = parameters.get(i).toArray();
        }
        Broadcast<float[][]> weights = spark.broadcast(values);
        try {
            ShareStep task = new ShareStep(specJson, ShareStep.drawsRandom(spec), weights, batch, loss, metric, seed, step,
                    step == failStep ? failPartition : -1);
            Function2<GradientSum, GradientSum.Share, GradientSum> add = GradientSum::add;
            Function2<GradientSum, GradientSum, GradientSum> merge = GradientSum::merge;
            GradientSum sum = data.blocks().mapPartitionsWithIndex(task, false)
                    .treeAggregate(new GradientSum(), add, merge, 2);
            if (sum.partitions() != data.partitions()) {
                throw new IllegalStateException(sum.partitions() + " of " + data.partitions() + " partitions reported");
            }
            return sum;
        } finally {
            weights.destroy();
        }
    }

    /** Sets each parameter's gradient to the sum, checks it as the Trainer does, and steps. */
    private void apply(GradientSum sum, List<Tensor> parameters, List<String> names, int epoch, int step, double batchLoss) {
        if (!Double.isFinite(batchLoss)) {
            throw new TrainingDivergedException(epoch, step, "the loss is " + batchLoss);
        }
        int length = (int) model.parameterCount();
        float[] total = sum.gradient(length);
        boolean[] present = sum.present(parameters.size());
        int at = 0;
        for (int i = 0; i < parameters.size(); i++) {
            Tensor p = parameters.get(i);
            int n = (int) p.numel();
            if (present[i]) {
                Tensor g = Tensor.of(java.util.Arrays.copyOfRange(total, at, at + n), p.shape());
                if (!g.allFinite()) {
                    throw new TrainingDivergedException(epoch, step, "the gradient of " + names.get(i)
                            + " holds NaN or infinite values");
                }
                p.setGrad(g);
            } else {
                p.setGrad(null);
            }
            at += n;
        }
        optimizer.step();
    }

    private History end(History history, boolean byCondition) {
        stopped = byCondition;
        model.eval();
        callbacks.forEach(c -> c.onTrainEnd(history));
        return history;
    }

    private void save(TrainingState state) {
        if (checkpoints == null) {
            return;
        }
        try {
            checkpoints.save(state);
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
    }
}
