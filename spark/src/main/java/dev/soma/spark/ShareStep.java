package dev.soma.spark;

import dev.soma.data.Batch;
import dev.soma.io.ModelSpecJson;
import dev.soma.nn.Dropout;
import dev.soma.nn.Dropout2d;
import dev.soma.nn.Loss;
import dev.soma.nn.ModelSpec;
import dev.soma.nn.Module;
import dev.soma.tensor.Generator;
import dev.soma.tensor.Tensor;
import dev.soma.train.Metric;
import java.io.Serializable;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.broadcast.Broadcast;

/**
 * One step's task on one partition: the gradient of the partition's share of the global batch.
 *
 * <p>The global batch holds {@code B} examples; the partition holds {@code n} of them (those whose
 * positions fall in its {@link Block}, in the batch's order). It runs the model on them, takes the
 * mean loss ℓ̄ over its {@code n}, and back-propagates {@code (n / B)·ℓ̄ = (1/B)·Σᵢ ℓᵢ}: its part of
 * the global mean loss. The partitions' gradients then add up to the gradient of the mean loss over
 * the whole batch, which is what the local {@code Trainer} steps on.
 *
 * <p>The model is rebuilt from its spec once per executor thread and reused (its weights overwritten
 * from the broadcast each step); a model with dropout is rebuilt each task with a generator seeded
 * by (seed, step, partition), so a retried task draws the same masks.
 */
final class ShareStep implements Function2<Integer, Iterator<Block>, Iterator<GradientSum.Share>>, Serializable {

    private static final long serialVersionUID = 1L;
    private static final ThreadLocal<Map<String, Module>> REPLICAS = ThreadLocal.withInitial(HashMap::new);
    /** How many tasks the test hook failed in this JVM (a local master's executors run here). */
    static final AtomicInteger INJECTED_FAILURES = new AtomicInteger();

    private final String specJson;
    private final boolean drawsRandom;
    private final Broadcast<float[][]> weights;
    private final int[] batch;
    private final Factory<Loss> loss;
    private final Factory<Metric> metric;
    private final long seed;
    private final long step;
    private final int failPartition;

    /**
     * @param batch the positions of the global batch's examples, in the loader's order
     * @param step the optimizer step this is (the run's global step, from 0)
     * @param failPartition a test hook: the partition whose task throws on its first attempt, or -1
     */
    ShareStep(String specJson, boolean drawsRandom, Broadcast<float[][]> weights, int[] batch, Factory<Loss> loss,
            Factory<Metric> metric, long seed, long step, int failPartition) {
        this.specJson = specJson;
        this.drawsRandom = drawsRandom;
        this.weights = weights;
        this.batch = batch;
        this.loss = loss;
        this.metric = metric;
        this.seed = seed;
        this.step = step;
        this.failPartition = failPartition;
    }

    /** Whether a model built from {@code spec} draws random numbers while it trains (dropout). */
    static boolean drawsRandom(ModelSpec spec) {
        return spec.layers().stream().anyMatch(layer -> layer instanceof Dropout.Spec || layer instanceof Dropout2d.Spec);
    }

    @Override
    public Iterator<GradientSum.Share> call(Integer partition, Iterator<Block> blocks) {
        TaskContext task = TaskContext.get();
        if (partition == failPartition && task != null && task.attemptNumber() == 0) {
            INJECTED_FAILURES.incrementAndGet();
            throw new IllegalStateException("soma-spark test hook: the task of step " + step + ", partition "
                    + partition + " fails on its first attempt");
        }
        Block block = blocks.next();
        if (block.partition() != partition) {
            throw new IllegalStateException("partition " + partition + " holds block " + block.partition());
        }
        return List.of(share(block, weights.value(), batch, step)).iterator();
    }

    /**
     * The share of {@code block} in the global {@code batch} at optimizer step {@code step}, with the
     * weights {@code values} (one array per parameter, read, not modified): what a task of the
     * job-per-step mode sends.
     */
    GradientSum.Share share(Block block, float[][] values, int[] batch, long step) {
        Computed computed = compute(block, values, batch, step);
        int partition = block.partition();
        if (computed.parameters() == null) {
            return new GradientSum.Share(partition, 0, 0, 0, null, null);
        }
        List<Tensor> parameters = computed.parameters();
        int length = 0;
        for (float[] v : values) {
            length += v.length;
        }
        float[] gradient = new float[length];
        boolean[] present = new boolean[parameters.size()];
        int at = 0;
        for (int i = 0; i < parameters.size(); i++) {
            Tensor g = parameters.get(i).grad();
            if (g != null) {
                System.arraycopy(g.toArray(), 0, gradient, at, values[i].length);
                present[i] = true;
            }
            at += values[i].length;
        }
        return new GradientSum.Share(partition, computed.examples(), computed.lossSum(), computed.correct(), gradient,
                present);
    }

    /**
     * A share computed: how many of the batch's examples the partition held, the loss summed over them,
     * the correct predictions, and the replica's parameters holding the share's gradients (null when the
     * partition held none of the batch). The parameters belong to this thread's replica: read them
     * before the thread's next share.
     */
    record Computed(int examples, double lossSum, long correct, List<Tensor> parameters) {
    }

    /**
     * Runs the model on {@code block}'s part of the global {@code batch} at optimizer step
     * {@code step}, with the weights {@code values} (read, not modified), and back-propagates the
     * part's share of the global mean loss: what a task of either mode computes (the barrier stage
     * calls it once per step).
     */
    Computed compute(Block block, float[][] values, int[] batch, long step) {
        int partition = block.partition();
        int[] mine = java.util.Arrays.stream(batch).filter(block::holds).toArray();
        if (mine.length == 0) {
            return new Computed(0, 0, 0, null);
        }
        Module model = replica(partition, step);
        List<Tensor> parameters = model.parameters();
        for (int i = 0; i < parameters.size(); i++) {
            Tensor p = parameters.get(i);
            System.arraycopy(values[i], 0, p.denseStorage(), 0, values[i].length);
            p.clearGrad();
        }
        model.train();
        Batch share = block.batch(mine);
        Tensor output = model.forward(share.inputs());
        Tensor mean = loss.get().forward(output, share.targets());
        double shareLoss = mean.item();
        mean.mul((float) mine.length / batch.length).backward();
        long correct = metric == null ? 0 : metric.get().correct(output.detach(), share.targets());
        return new Computed(mine.length, shareLoss * mine.length, correct, parameters);
    }

    private Module replica(int partition, long step) {
        if (drawsRandom) {
            long stream = 0x9E3779B97F4A7C15L * (step * 65_537 + partition + 1);
            return ModelSpecJson.fromJson(specJson).build(new Generator(seed + stream));
        }
        return REPLICAS.get().computeIfAbsent(specJson, json -> ModelSpecJson.fromJson(json).build(new Generator(seed)));
    }
}
