package dev.soma.spark;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The driver's half of a parameter-averaging round: the partitions' copies averaged, weighed by the
 * examples each trained on, in partition order.
 *
 * <pre>{@code
 * w = Σₚ (nₚ / N) · wₚ        nₚ: the examples copy p stepped on in the round, N = Σₚ nₚ
 * }</pre>
 *
 * The same weights average the optimizer's per-parameter buffers (SGD's momentum, Adam's first and
 * second moments, RMSprop's averages); a parameter's step count is the largest among the copies.
 * Why these weights: after one plain SGD step on each partition's mean gradient gₚ over its nₚ of the
 * batch's B examples, {@code Σₚ (nₚ/B)(w − lr·gₚ) = w − lr·Σₚ (nₚ/B)·gₚ}, and {@code Σₚ (nₚ/B)·gₚ} is
 * the gradient of the whole batch's mean loss: the synchronous step. The batch's examples do not fall
 * evenly on the partitions, so a plain mean (1/P) would not be; and momentum and weight decay are
 * linear in the gradient, so with averaged buffers SGD with momentum also takes the synchronous step
 * when each round is one step. FedAvg weighs clients by their examples the same way (McMahan et al.,
 * 2017).
 *
 * <p>Sums run in double, in partition order, and round to float once: the same bits on any schedule,
 * and with one partition (weight 1) the copy's own bits. A copy that saw no example in the round
 * (weight 0) is left out; a buffer that a copy lacks counts as the round's starting buffer (zeros if
 * none).
 */
final class WeightAverage {

    private WeightAverage() {
    }

    /** The averaged weights, one array per parameter; {@code results} in partition order. */
    static float[][] weights(List<LocalSteps.Result> results, float[][] start) {
        double[] share = shares(results);
        float[][] out = new float[start.length][];
        for (int i = 0; i < start.length; i++) {
            double[] sum = null;
            for (int p = 0; p < results.size(); p++) {
                if (share[p] > 0) {
                    sum = add(sum, share[p], results.get(p).weights()[i]);
                }
            }
            out[i] = sum == null ? start[i].clone() : toFloat(sum);
        }
        return out;
    }

    /** The averaged optimizer state: kind and hyperparameters of {@code start}, buffers weighed as the weights. */
    static OptimizerState optimizer(List<LocalSteps.Result> results, OptimizerState start) {
        double[] share = shares(results);
        TreeSet<Integer> indices = new TreeSet<>(start.steps().keySet());
        for (int p = 0; p < results.size(); p++) {
            if (share[p] > 0) {
                indices.addAll(results.get(p).optimizer().steps().keySet());
            }
        }
        Map<Integer, Integer> steps = new LinkedHashMap<>();
        Map<Integer, Map<String, float[]>> buffers = new LinkedHashMap<>();
        for (int i : indices) {
            Map<String, float[]> before = start.buffers().getOrDefault(i, Map.of());
            TreeSet<String> names = new TreeSet<>(before.keySet());
            int step = start.steps().getOrDefault(i, 0);
            for (int p = 0; p < results.size(); p++) {
                OptimizerState copy = results.get(p).optimizer();
                if (share[p] > 0 && copy.steps().containsKey(i)) {
                    step = Math.max(step, copy.steps().get(i));
                    names.addAll(copy.buffers().get(i).keySet());
                }
            }
            Map<String, float[]> averaged = new LinkedHashMap<>();
            for (String name : names) {
                double[] sum = null;
                for (int p = 0; p < results.size(); p++) {
                    if (share[p] > 0) {
                        Map<String, float[]> own = results.get(p).optimizer().buffers().getOrDefault(i, Map.of());
                        float[] values = own.getOrDefault(name, before.get(name));
                        if (values != null) {
                            sum = add(sum, share[p], values);
                        }
                    }
                }
                averaged.put(name, toFloat(sum));
            }
            steps.put(i, step);
            buffers.put(i, averaged);
        }
        return new OptimizerState(start.kind(), start.hyperparameters(), steps, buffers);
    }

    /** Each copy's weight nₚ / N (all 0 if no copy saw an example). */
    static double[] shares(List<LocalSteps.Result> results) {
        long total = 0;
        for (LocalSteps.Result result : results) {
            total += result.seen();
        }
        double[] share = new double[results.size()];
        for (int p = 0; p < share.length; p++) {
            share[p] = total == 0 ? 0 : (double) results.get(p).seen() / total;
        }
        return share;
    }

    /**
     * {@code sum + weight · values} (modifies and returns {@code sum}; null: starts it, so that one
     * copy of weight 1 keeps its own bits, −0 included).
     */
    private static double[] add(double[] sum, double weight, float[] values) {
        if (sum == null) {
            sum = new double[values.length];
            for (int j = 0; j < values.length; j++) {
                sum[j] = weight * values[j];
            }
            return sum;
        }
        for (int j = 0; j < sum.length; j++) {
            sum[j] += weight * values[j];
        }
        return sum;
    }

    private static float[] toFloat(double[] sum) {
        float[] out = new float[sum.length];
        for (int j = 0; j < sum.length; j++) {
            out[j] = (float) sum[j];
        }
        return out;
    }
}
