package dev.soma.tensor;

/**
 * Walks strided storage in row-major order. A tensor's element {@code (i₀, …, iₙ₋₁)} lives at
 * {@code offset + Σ iₖ·strideₖ}; these loops visit every element with the last index fastest, moving
 * the innermost dimension in a tight loop and the outer ones with an odometer.
 */
final class Strided {

    private Strided() {
    }

    /** Visits the storage offset of each row of the innermost dimension. */
    @FunctionalInterface
    interface RowVisitor {
        void row(int rowIndex, int storageOffset);
    }

    /**
     * Calls {@code visitor} once per innermost row of a tensor with {@code shape} and {@code strides}
     * starting at {@code offset}, in row-major order. Does nothing when the tensor has no elements;
     * a rank-0 tensor has one row of one element.
     */
    static void forEachRow(int[] shape, int[] strides, int offset, RowVisitor visitor) {
        int rank = shape.length;
        if (Shape.numel(shape) == 0) {
            return;
        }
        if (rank <= 1) {
            visitor.row(0, offset);
            return;
        }
        int[] index = new int[rank - 1];
        int position = offset;
        int rows = Shape.numel(shape) / shape[rank - 1];
        for (int row = 0; row < rows; row++) {
            visitor.row(row, position);
            for (int d = rank - 2; d >= 0; d--) {
                index[d]++;
                position += strides[d];
                if (index[d] < shape[d]) {
                    break;
                }
                position -= index[d] * strides[d];
                index[d] = 0;
            }
        }
    }

    /** The elements of a strided tensor copied into a new row-major array. */
    static float[] toContiguous(float[] data, int offset, int[] shape, int[] strides) {
        float[] out = new float[Shape.numel(shape)];
        int rank = shape.length;
        int inner = rank == 0 ? 1 : shape[rank - 1];
        int innerStride = rank == 0 ? 1 : strides[rank - 1];
        forEachRow(shape, strides, offset, (row, start) -> {
            int base = row * inner;
            if (innerStride == 1) {
                System.arraycopy(data, start, out, base, inner);
            } else {
                for (int i = 0; i < inner; i++) {
                    out[base + i] = data[start + i * innerStride];
                }
            }
        });
        return out;
    }

    /** Writes row-major {@code source} values into the strided elements of {@code target}. */
    static void write(Tensor target, float[] source, boolean accumulate) {
        int[] shape = target.shape;
        int rank = shape.length;
        int inner = rank == 0 ? 1 : shape[rank - 1];
        int innerStride = rank == 0 ? 1 : target.strides[rank - 1];
        float[] data = target.data;
        forEachRow(shape, target.strides, target.offset, (row, start) -> {
            int base = row * inner;
            for (int i = 0; i < inner; i++) {
                if (accumulate) {
                    data[start + i * innerStride] += source[base + i];
                } else {
                    data[start + i * innerStride] = source[base + i];
                }
            }
        });
    }
}
