package dev.soma.spark;

import dev.soma.data.Batch;
import dev.soma.io.ModelSpecJson;
import dev.soma.nn.Dropout;
import dev.soma.nn.Dropout2d;
import dev.soma.nn.Loss;
import dev.soma.nn.ModelSpec;
import dev.soma.nn.Module;
import dev.soma.optim.Optimizer;
import dev.soma.tensor.Generator;
import dev.soma.tensor.Tensor;
import dev.soma.train.Metric;
import java.io.Serializable;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.broadcast.Broadcast;

/**
 * One round of parameter averaging on one partition: K local steps of its own copy of the model,
 * each on the partition's share of one global batch, as the local {@code Trainer} steps.
 *
 * <pre>{@code
 * from the round's start (the driver's weights and optimizer state, the round's K global batches):
 *     for each batch: the examples of it this partition holds, n of them (none: no step)
 *         zeroGrad; loss = mean loss over the n; backward; optimizer.step()    (its own copy)
 *     return the weights, the optimizer state, each step's n, loss sum and correct predictions
 * }</pre>
 *
 * The local step takes the mean over the partition's own n examples, not (n / B) of the global
 * mean as a synchronous share does: each copy is a model trained on its own mini-batches of about
 * B/P examples, and {@link WeightAverage} weighs the copies by the examples they saw. With one
 * partition, n = B and the steps are the local Trainer's, bit for bit.
 *
 * <p>A task depends only on the broadcast start, its block and the seed, so a retried task returns
 * the same bits. A model with dropout is built with a generator seeded by (seed, the round's first
 * step, partition). A non-finite loss or gradient stops the copy before its optimizer step and is
 * reported with the step's index in the round.
 */
final class LocalSteps implements Function2<Integer, Iterator<Block>, Iterator<LocalSteps.Result>>, Serializable {

    private static final long serialVersionUID = 1L;
    private static final ThreadLocal<Map<String, Module>> REPLICAS = ThreadLocal.withInitial(HashMap::new);
    /** How many tasks the test hook failed in this JVM (a local master's executors run here). */
    static final AtomicInteger INJECTED_FAILURES = new AtomicInteger();

    /** Where a round starts: the weights (one array per parameter), the optimizer, the round's global batches. */
    record Start(float[][] weights, OptimizerState optimizer, int[][] batches, long firstStep) implements Serializable {
    }

    /**
     * One partition's round: its copy's weights and optimizer state after its steps, and for each of
     * the round's batches the examples it held, their loss sum and correct predictions. When
     * {@code diverged} is not null, the copy stopped before the optimizer step of batch
     * {@code divergedAt} (its weights are then of no use).
     */
    record Result(int partition, float[][] weights, OptimizerState optimizer, int[] examples, double[] lossSums,
            long[] correct, String diverged, int divergedAt) implements Serializable {

        /** The examples this copy trained on over the round. */
        long seen() {
            long sum = 0;
            for (int n : examples) {
                sum += n;
            }
            return sum;
        }
    }

    private final String specJson;
    private final boolean drawsRandom;
    private final List<String> names;
    private final Broadcast<Start> start;
    private final Factory<Loss> loss;
    private final Factory<Metric> metric;
    private final long seed;
    private final int failPartition;

    /**
     * @param names the parameters' names, in {@code namedParameters} order (for the divergence message)
     * @param failPartition a test hook: the partition whose task throws on its first attempt, or -1
     */
    LocalSteps(ModelSpec spec, List<String> names, Broadcast<Start> start, Factory<Loss> loss, Factory<Metric> metric,
            long seed, int failPartition) {
        this.specJson = ModelSpecJson.toJson(spec);
        this.drawsRandom = spec.layers().stream()
                .anyMatch(layer -> layer instanceof Dropout.Spec || layer instanceof Dropout2d.Spec);
        this.names = List.copyOf(names);
        this.start = start;
        this.loss = loss;
        this.metric = metric;
        this.seed = seed;
        this.failPartition = failPartition;
    }

    @Override
    public Iterator<Result> call(Integer partition, Iterator<Block> blocks) {
        TaskContext task = TaskContext.get();
        Start from = start.value();
        if (partition == failPartition && task != null && task.attemptNumber() == 0) {
            INJECTED_FAILURES.incrementAndGet();
            throw new IllegalStateException("soma-spark test hook: the averaging task of the round from step "
                    + from.firstStep() + ", partition " + partition + " fails on its first attempt");
        }
        Block block = blocks.next();
        if (block.partition() != partition) {
            throw new IllegalStateException("partition " + partition + " holds block " + block.partition());
        }
        return List.of(run(block, from)).iterator();
    }

    /** The round on {@code block} from {@code from} (read, not modified). */
    Result run(Block block, Start from) {
        Module model = replica(block.partition(), from.firstStep());
        List<Tensor> parameters = model.parameters();
        for (int i = 0; i < parameters.size(); i++) {
            Tensor p = parameters.get(i);
            System.arraycopy(from.weights()[i], 0, p.denseStorage(), 0, from.weights()[i].length);
            p.clearGrad();
        }
        Optimizer optimizer = from.optimizer().build(parameters);
        int[][] batches = from.batches();
        int[] examples = new int[batches.length];
        double[] lossSums = new double[batches.length];
        long[] correct = new long[batches.length];
        model.train();
        for (int k = 0; k < batches.length; k++) {
            int[] mine = Arrays.stream(batches[k]).filter(block::holds).toArray();
            if (mine.length == 0) {
                continue;
            }
            Batch share = block.batch(mine);
            optimizer.zeroGrad();
            Tensor output = model.forward(share.inputs());
            Tensor value = loss.get().forward(output, share.targets());
            value.backward();
            double shareLoss = value.item();
            String diverged = Double.isFinite(shareLoss) ? nonFinite(parameters) : "the loss is " + shareLoss;
            if (diverged != null) {
                return new Result(block.partition(), null, null, examples, lossSums, correct,
                        diverged + " on partition " + block.partition(), k);
            }
            optimizer.step();
            examples[k] = mine.length;
            lossSums[k] = shareLoss * mine.length;
            correct[k] = metric == null ? 0 : metric.get().correct(output.detach(), share.targets());
        }
        float[][] weights = parameters.stream().map(Tensor::toArray).toArray(float[][]::new);
        return new Result(block.partition(), weights, OptimizerState.of(optimizer), examples, lossSums, correct, null, -1);
    }

    /** Which parameter's gradient holds a NaN or infinity, as the Trainer says it, or null. */
    private String nonFinite(List<Tensor> parameters) {
        for (int i = 0; i < parameters.size(); i++) {
            Tensor g = parameters.get(i).grad();
            if (g != null && !g.allFinite()) {
                return "the gradient of " + names.get(i) + " holds NaN or infinite values";
            }
        }
        return null;
    }

    private Module replica(int partition, long firstStep) {
        if (drawsRandom) {
            long stream = 0x9E3779B97F4A7C15L * (firstStep * 65_537 + partition + 1);
            return ModelSpecJson.fromJson(specJson).build(new Generator(seed + stream));
        }
        return REPLICAS.get().computeIfAbsent(specJson, json -> ModelSpecJson.fromJson(json).build(new Generator(seed)));
    }
}
