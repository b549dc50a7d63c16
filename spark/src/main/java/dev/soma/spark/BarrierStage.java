package dev.soma.spark;

import dev.soma.io.ModelSpecJson;
import dev.soma.nn.Module;
import dev.soma.optim.Optimizer;
import dev.soma.tensor.Generator;
import dev.soma.tensor.Tensor;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.apache.spark.BarrierTaskContext;
import org.apache.spark.broadcast.Broadcast;
import scala.Function1;
import scala.jdk.javaapi.CollectionConverters;

/**
 * One barrier stage of training: P tasks, started together, run a stretch of steps with no job
 * between them, all-reducing each step's gradient shares through the driver ({@link GradientHub}).
 *
 * <pre>{@code
 * each task p, from the stage's start (weights, optimizer state, the stretch's global batches):
 *     for each step:
 *         the gradient of its share of the batch (ShareStep.share, as a task of the job-per-step mode)
 *         send it to the driver's GradientHub, which adds the P shares in partition order
 *         (GradientSum) and sends every task the same sum: they all hold the same bits, on any timing
 *         the same optimizer step on its own copy of the weights and optimizer state
 * task 0 returns the weights, the optimizer state and each step's loss and correct predictions
 * }</pre>
 *
 * Every task computes the same sum from the same shares, so the P copies of the weights never
 * drift apart, and they are the job-per-step mode's weights, bit for bit. A failed task makes Spark
 * restart the whole stage (a barrier stage's tasks are retried together); each task starts again
 * from the broadcast start, so the result does not change. A non-finite loss or gradient stops every
 * task at the same step (they see the same sum) and task 0 reports the steps done before it.
 */
final class BarrierStage implements Function1<scala.collection.Iterator<Block>, scala.collection.Iterator<BarrierStage.Result>>,
        Serializable {

    private static final long serialVersionUID = 1L;

    /** Where a stage starts: the weights (one array per parameter), the optimizer, the stretch's batches. */
    record Start(float[][] weights, OptimizerState optimizer, int[][] batches, long firstStep, String hub)
            implements Serializable {
    }

    /**
     * Task 0's report: the weights and optimizer state after {@code steps} steps (all of the stretch's
     * unless {@code diverged} says why the next one was not taken), and each step's loss sum and
     * correct predictions.
     */
    record Result(float[][] weights, OptimizerState optimizer, int steps, double[] lossSums, long[] correct,
            String diverged) implements Serializable {
    }

    private final String specJson;
    private final List<String> names;
    private final ShareStep shares;
    private final Broadcast<Start> start;
    private final long failStep;
    private final int failPartition;

    /**
     * @param shares computes a partition's share (its loss, metric, seed, replicas)
     * @param failStep a test hook: the global step at which {@code failPartition}'s task throws on the
     *     stage's first attempt, or -1
     */
    BarrierStage(String specJson, List<String> names, ShareStep shares, Broadcast<Start> start, long failStep,
            int failPartition) {
        this.specJson = specJson;
        this.names = List.copyOf(names);
        this.shares = shares;
        this.start = start;
        this.failStep = failStep;
        this.failPartition = failPartition;
    }

    @Override
    public scala.collection.Iterator<Result> apply(scala.collection.Iterator<Block> blocks) {
        BarrierTaskContext task = BarrierTaskContext.get();
        Block block = CollectionConverters.asJava(blocks).next();
        int partition = task.partitionId();
        if (block.partition() != partition) {
            throw new IllegalStateException("partition " + partition + " holds block " + block.partition());
        }
        Start from = start.value();
        Module model = ModelSpecJson.fromJson(specJson).build(new Generator(0));
        List<Tensor> parameters = model.parameters();
        float[][] values = new float[parameters.size()][];
        for (int i = 0; i < values.length; i++) {
            values[i] = parameters.get(i).denseStorage();                   // the optimizer updates these in place
            System.arraycopy(from.weights()[i], 0, values[i], 0, values[i].length);
        }
        Optimizer optimizer = from.optimizer().build(parameters);
        int[][] batches = from.batches();
        double[] lossSums = new double[batches.length];
        long[] correct = new long[batches.length];
        String diverged = null;
        int done = 0;
        int length = 0;
        for (float[] v : values) {
            length += v.length;
        }
        ShareFrame share = new ShareFrame(values.length, length);
        ShareFrame sum = new ShareFrame(values.length, length);
        Tensor[] gradients = new Tensor[values.length];
        for (int i = 0; i < values.length; i++) {
            gradients[i] = Tensor.of(new float[values[i].length], parameters.get(i).shape());
        }
        try (GradientHub.Link hub = new GradientHub.Link(from.hub(), partition, from.firstStep(), GradientHub.DEFAULT_TIMEOUT)) {
            for (; done < batches.length; done++) {
                long step = from.firstStep() + done;
                if (step == failStep && partition == failPartition && task.stageAttemptNumber() == 0
                        && task.attemptNumber() == 0) {
                    ShareStep.INJECTED_FAILURES.incrementAndGet();
                    throw new IllegalStateException("soma-spark test hook: the barrier task of step " + step
                            + ", partition " + partition + " fails on the stage's first attempt");
                }
                write(shares.compute(block, values, batches[done], step), share, partition, step, values);
                hub.exchange(share, sum, step);
                if (sum.examples() != batches[done].length) {
                    throw new IllegalStateException("the shares held " + sum.examples() + " of the batch's "
                            + batches[done].length + " examples");
                }
                double batchLoss = sum.lossSum() / batches[done].length;
                diverged = Double.isFinite(batchLoss) ? setGradients(sum, parameters, gradients)
                        : "the loss is " + batchLoss;
                if (diverged != null) {
                    break;
                }
                optimizer.step();
                lossSums[done] = sum.lossSum();
                correct[done] = sum.correct();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("partition " + partition + " lost the driver's gradient hub " + from.hub(), e);
        }
        if (partition != 0) {
            return CollectionConverters.asScala(Collections.<Result>emptyIterator());
        }
        float[][] weights = Arrays.stream(values).map(float[]::clone).toArray(float[][]::new);
        Result result = new Result(weights, OptimizerState.of(optimizer), done, lossSums, correct, diverged);
        return CollectionConverters.asScala(List.of(result).iterator());
    }

    /** Writes a computed share into {@code frame}: a parameter without a gradient sends zeros. */
    private static void write(ShareStep.Computed computed, ShareFrame frame, int partition, long step, float[][] values) {
        List<Tensor> parameters = computed.parameters();
        if (parameters == null) {
            frame.header(partition, step, 0, 0, 0, -1, -1);
            return;
        }
        int length = 0;
        for (float[] v : values) {
            length += v.length;
        }
        frame.header(partition, step, computed.examples(), computed.lossSum(), computed.correct(), length, values.length);
        int at = 0;
        for (int i = 0; i < values.length; i++) {
            int n = values[i].length;
            Tensor g = parameters.get(i).grad();
            float[] dense = g == null ? new float[n] : g.denseStorage();
            frame.putFloats(at, dense != null ? dense : g.toArray(), n);
            frame.flag(i, g != null);
            at += n;
        }
    }

    /**
     * Sets each parameter's gradient to the sum, in {@code gradients} (one tensor per parameter, kept
     * for the stage: the sum is copied into it); says which is not finite, or returns null.
     */
    private String setGradients(ShareFrame sum, List<Tensor> parameters, Tensor[] gradients) {
        int at = 0;
        for (int i = 0; i < parameters.size(); i++) {
            Tensor p = parameters.get(i);
            int n = gradients[i].denseStorage().length;
            if (sum.present(i)) {
                sum.getFloats(at, gradients[i].denseStorage(), n);
                if (!gradients[i].allFinite()) {
                    return "the gradient of " + names.get(i) + " holds NaN or infinite values";
                }
                p.setGrad(gradients[i]);
            } else {
                p.setGrad(null);
            }
            at += n;
        }
        return null;
    }
}
