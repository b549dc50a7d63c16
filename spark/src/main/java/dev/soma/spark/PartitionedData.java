package dev.soma.spark;

import dev.soma.data.Dataset;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.storage.StorageLevel;

/**
 * A training set on the executors, cut once into {@code P} blocks of consecutive positions (block p
 * holds positions {@code [p·N/P, (p+1)·N/P)}) and kept in their memory for the whole run
 * ({@link StorageLevel#MEMORY_ONLY}, as deserialized objects: no decoding per step).
 *
 * <p>Each step then sends only the batch's positions (4 bytes an example) and the weights; each
 * partition trains on the examples of the batch it holds. Why not broadcast the whole set to every
 * executor: a broadcast puts all N examples in each executor's memory, where the blocks put N/P; with
 * Fashion-MNIST (188 MB as floats) either fits, but only the blocks grow with the cluster.
 */
final class PartitionedData implements AutoCloseable {

    private final JavaRDD<Block> blocks;
    private final int partitions;

    private PartitionedData(JavaRDD<Block> blocks, int partitions) {
        this.blocks = blocks;
        this.partitions = partitions;
    }

    /** Cuts {@code data} into {@code partitions} blocks and caches them on the executors (now, not lazily). */
    static PartitionedData of(JavaSparkContext spark, Dataset data, int partitions) {
        int n = data.size();
        if (partitions < 1 || partitions > n) {
            throw new IllegalArgumentException("partitions must be in [1, " + n + "] (the training examples), got "
                    + partitions);
        }
        List<Block> list = new ArrayList<>(partitions);
        for (int p = 0; p < partitions; p++) {
            list.add(Block.of(data, p, (int) ((long) p * n / partitions), (int) ((long) (p + 1) * n / partitions)));
        }
        JavaRDD<Block> rdd = spark.parallelize(list, partitions).persist(StorageLevel.MEMORY_ONLY());
        rdd.count();
        return new PartitionedData(rdd, partitions);
    }

    JavaRDD<Block> blocks() {
        return blocks;
    }

    int partitions() {
        return partitions;
    }

    @Override
    public void close() {
        blocks.unpersist(false);
    }
}
