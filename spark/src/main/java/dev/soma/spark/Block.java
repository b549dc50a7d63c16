package dev.soma.spark;

import dev.soma.data.Batch;
import dev.soma.data.Dataset;
import dev.soma.tensor.DType;
import dev.soma.tensor.Tensor;
import java.io.Serializable;
import java.util.Arrays;

/**
 * One partition's share of a training set, as an executor keeps it: the examples at positions
 * {@code [first, first + count)} of the dataset, their inputs and targets as float rows, given back
 * in the dataset's own types (int64 class indices stay int64; they are exact as floats below 2²⁴).
 *
 * @param inputShape one example's input shape ({@code [1, 28, 28]})
 * @param targetShape one example's target shape ({@code []} for a class index)
 */
record Block(int partition, int first, int count, int[] inputShape, float[] inputs, DType inputType, int[] targetShape,
        float[] targets, DType targetType) implements Serializable {

    /** Builds the block of {@code data}'s examples in {@code [first, end)} (through {@link Dataset#batch}). */
    static Block of(Dataset data, int partition, int first, int end) {
        int[] positions = new int[end - first];
        Arrays.setAll(positions, i -> first + i);
        Batch all = data.batch(positions);
        int[] input = all.inputs().shape();
        int[] target = all.targets().shape();
        return new Block(partition, first, positions.length, Arrays.copyOfRange(input, 1, input.length),
                all.inputs().toArray(), all.inputs().dtype(), Arrays.copyOfRange(target, 1, target.length),
                all.targets().toArray(), all.targets().dtype());
    }

    /** Whether the example at dataset position {@code position} is in this block. */
    boolean holds(int position) {
        return position >= first && position < first + count;
    }

    /** The examples at dataset positions {@code positions} (all in this block), stacked in that order. */
    Batch batch(int[] positions) {
        return new Batch(rows(inputs, inputShape, positions).to(inputType), rows(targets, targetShape, positions).to(targetType));
    }

    private Tensor rows(float[] values, int[] rowShape, int[] positions) {
        int width = 1;
        for (int d : rowShape) {
            width *= d;
        }
        float[] out = new float[positions.length * width];
        for (int i = 0; i < positions.length; i++) {
            System.arraycopy(values, (positions[i] - first) * width, out, i * width, width);
        }
        int[] shape = new int[rowShape.length + 1];
        shape[0] = positions.length;
        System.arraycopy(rowShape, 0, shape, 1, rowShape.length);
        return Tensor.of(out, shape);
    }
}
