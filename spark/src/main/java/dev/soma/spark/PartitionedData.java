package dev.soma.spark;

import dev.soma.data.Dataset;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

/**
 * A training set on the executors for a whole run: cut once into {@code P} blocks of consecutive
 * positions (block p holds positions {@code [p·N/P, (p+1)·N/P)}), broadcast once, and looked up by
 * partition each step (an RDD of the P partition numbers, whose tasks carry nothing but the number).
 *
 * <p>Why a broadcast and not an RDD of the examples, persisted: Spark's {@code parallelize} keeps each
 * partition's elements in the partition object itself, and every task carries its partition, so a
 * persisted RDD built from the driver's data still shipped the whole block with every step's task
 * (31 MB a task for 20,480 Fashion-MNIST images in two partitions; 0.2× the local speed at batch
 * 1024, measured with bench's {@code SparkStepTimes}). A broadcast is sent once per executor and kept
 * there (the driver keeps a copy, so a lost executor gets it again). The cost: each executor holds the
 * whole set, N examples, not N/P; Fashion-MNIST's 60,000 training images are 188 MB as floats. A set
 * larger than an executor's memory needs the examples read on the executors from a distributed file
 * instead (one partition's files each).
 */
final class PartitionedData implements AutoCloseable {

    private final Broadcast<Block[]> blocks;
    private final JavaRDD<Integer> partitionNumbers;

    private PartitionedData(Broadcast<Block[]> blocks, JavaRDD<Integer> partitionNumbers) {
        this.blocks = blocks;
        this.partitionNumbers = partitionNumbers;
    }

    /** Cuts {@code data} into {@code partitions} blocks and broadcasts them. */
    static PartitionedData of(JavaSparkContext spark, Dataset data, int partitions) {
        int n = data.size();
        if (partitions < 1 || partitions > n) {
            throw new IllegalArgumentException("partitions must be in [1, " + n + "] (the training examples), got "
                    + partitions);
        }
        Block[] list = new Block[partitions];
        List<Integer> numbers = new ArrayList<>(partitions);
        for (int p = 0; p < partitions; p++) {
            list[p] = Block.of(data, p, (int) ((long) p * n / partitions), (int) ((long) (p + 1) * n / partitions));
            numbers.add(p);
        }
        return new PartitionedData(spark.broadcast(list), spark.parallelize(numbers, partitions));
    }

    /** The blocks as an RDD: partition p's one element is block p. */
    JavaRDD<Block> blocks() {
        Broadcast<Block[]> all = blocks;
        return partitionNumbers.map(p -> all.value()[p]);
    }

    int partitions() {
        return partitionNumbers.getNumPartitions();
    }

    @Override
    public void close() {
        blocks.destroy();
    }
}
