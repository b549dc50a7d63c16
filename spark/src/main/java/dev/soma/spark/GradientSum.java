package dev.soma.spark;

import java.io.Serializable;
import java.util.Map;
import java.util.TreeMap;

/**
 * The partitions' shares of one step's gradient, gathered by {@code treeAggregate} and added on the
 * driver in partition order.
 *
 * <p>Why not add as they arrive: float addition is not associative, and Spark merges task results in
 * the order the tasks finish, which changes from run to run (and when a task is retried). Keeping
 * each partition's share by its index until the end fixes the order of the sum, so the same seed gives
 * the same weights, bit for bit, on any schedule; with one partition the sum is that partition's
 * gradient, unchanged. The price: the driver receives one gradient per partition (the tree adds no
 * saving in bytes), which docs/SPARK.md counts.
 */
final class GradientSum implements Serializable {

    private static final long serialVersionUID = 1L;

    /**
     * One partition's share of a step.
     *
     * @param examples how many of the global batch's examples the partition held
     * @param lossSum the mean loss over those examples times their number
     * @param correct the correct predictions among them (0 without a metric)
     * @param gradient every parameter's gradient of the share's part of the global mean loss, in
     *     {@code namedParameters} order, concatenated; null when the partition held none of the batch
     * @param present which parameters received a gradient
     */
    record Share(int partition, int examples, double lossSum, long correct, float[] gradient, boolean[] present)
            implements Serializable {
    }

    private final TreeMap<Integer, Share> shares = new TreeMap<>();

    /** Adds one partition's share (modifies this sum and returns it: treeAggregate's seqOp). */
    GradientSum add(Share share) {
        if (shares.putIfAbsent(share.partition(), share) != null) {
            throw new IllegalStateException("partition " + share.partition() + " reported twice");
        }
        return this;
    }

    /** Takes {@code other}'s shares into this sum (modifies this sum and returns it: treeAggregate's combOp). */
    GradientSum merge(GradientSum other) {
        other.shares.values().forEach(this::add);
        return this;
    }

    /** The partitions that reported. */
    int partitions() {
        return shares.size();
    }

    /** The examples over all partitions. */
    long examples() {
        return shares.values().stream().mapToLong(Share::examples).sum();
    }

    /** The loss summed over all examples, added in partition order. */
    double lossSum() {
        double sum = 0;
        for (Share share : shares.values()) {
            sum += share.lossSum();
        }
        return sum;
    }

    long correct() {
        return shares.values().stream().mapToLong(Share::correct).sum();
    }

    /** Which parameters received a gradient in some partition. */
    boolean[] present(int parameters) {
        boolean[] any = new boolean[parameters];
        for (Share share : shares.values()) {
            if (share.present() != null) {
                for (int i = 0; i < parameters; i++) {
                    any[i] |= share.present()[i];
                }
            }
        }
        return any;
    }

    /** The shares' gradients added in partition order, in float (one partition: its own array, unchanged). */
    float[] gradient(int length) {
        float[] total = null;
        for (Map.Entry<Integer, Share> entry : shares.entrySet()) {
            float[] g = entry.getValue().gradient();
            if (g == null) {
                continue;
            }
            if (total == null) {
                total = g.clone();
            } else {
                for (int i = 0; i < length; i++) {
                    total[i] += g[i];
                }
            }
        }
        return total == null ? new float[length] : total;
    }
}
