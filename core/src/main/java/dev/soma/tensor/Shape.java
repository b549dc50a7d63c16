package dev.soma.tensor;

import java.util.Arrays;

/**
 * Shape arithmetic: element counts, strides, broadcasting and dimension checks. Shapes are plain
 * {@code int[]}, outermost dimension first, as in PyTorch; a rank-0 shape is {@code []}.
 */
public final class Shape {

    private Shape() {
    }

    /** The number of elements of a tensor of this shape: the product of its sizes (1 for rank 0). */
    public static int numel(int[] shape) {
        long n = 1;
        for (int size : shape) {
            n *= size;
            if (n > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("shape " + format(shape) + " has more than 2^31-1 elements");
            }
        }
        return (int) n;
    }

    /** Row-major strides of a contiguous tensor of this shape: the last dimension has stride 1. */
    public static int[] contiguousStrides(int[] shape) {
        int[] strides = new int[shape.length];
        int stride = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            strides[d] = stride;
            stride *= Math.max(shape[d], 1);
        }
        return strides;
    }

    /** {@code [2, 3]}, the way shapes appear in every message. */
    public static String format(int[] shape) {
        return Arrays.toString(shape);
    }

    /** Rejects negative sizes, naming the op. */
    static int[] checkSizes(String op, int[] shape) {
        for (int size : shape) {
            if (size < 0) {
                throw new IllegalArgumentException(op + ": negative size in shape " + format(shape));
            }
        }
        return shape.clone();
    }

    /**
     * The shape two tensors broadcast to, by NumPy's rule: align sizes from the last dimension; two
     * sizes agree when they are equal or one of them is 1.
     *
     * @throws IllegalArgumentException naming the op, both shapes and the first dimension that differs
     */
    public static int[] broadcast(String op, int[] a, int[] b) {
        int rank = Math.max(a.length, b.length);
        int[] out = new int[rank];
        for (int i = 1; i <= rank; i++) {
            int sa = i <= a.length ? a[a.length - i] : 1;
            int sb = i <= b.length ? b[b.length - i] : 1;
            if (sa != sb && sa != 1 && sb != 1) {
                throw new IllegalArgumentException(op + ": shapes " + format(a) + " and " + format(b)
                        + " cannot broadcast (dim " + (-i) + ": " + sa + " vs " + sb + ")");
            }
            out[rank - i] = sa == 1 ? sb : sa;
        }
        return out;
    }

    /**
     * The number of positions a window takes along one dimension of a convolution or pooling (PyTorch's
     * formula): {@code ⌊(size + 2·padding − dilation·(kernel − 1) − 1) / stride⌋ + 1}. Zero or less when
     * the dilated kernel is larger than the padded input.
     */
    public static int convolutionOutputSize(int size, int kernel, int dilation, int padding, int stride) {
        return Math.floorDiv(size + 2 * padding - dilation * (kernel - 1) - 1, stride) + 1;
    }

    /**
     * The number of windows a pooling takes along one dimension (PyTorch's {@code pooling_output_shape}):
     * {@link #convolutionOutputSize} when {@code ceilMode} is false; with it, the division rounds up, so a
     * last window may hang past the padded input, unless that window would start in the padding (or past
     * it) after the input, which PyTorch drops.
     */
    public static int poolingOutputSize(int size, int kernel, int dilation, int padding, int stride,
                                        boolean ceilMode) {
        if (!ceilMode) {
            return convolutionOutputSize(size, kernel, dilation, padding, stride);
        }
        int out = Math.floorDiv(size + 2 * padding - dilation * (kernel - 1) - 1 + stride - 1, stride) + 1;
        return (out - 1) * stride >= size + padding ? out - 1 : out;
    }

    /** A dimension given as {@code -rank ≤ dim < rank}, returned as {@code 0 ≤ dim < rank}. */
    static int dim(String op, int dim, int rank) {
        int lo = Math.min(-rank, -1);
        int hi = Math.max(rank - 1, 0);
        if (dim < lo || dim > hi) {
            throw new IllegalArgumentException(op + ": dim " + dim + " is out of range for a tensor of rank "
                    + rank + " (expected " + lo + " to " + hi + ")");
        }
        return dim < 0 ? dim + Math.max(rank, 1) : dim;
    }

    /** Dimensions normalised and checked for repeats; no dimensions means all of them. */
    static boolean[] dimMask(String op, int[] dims, int rank) {
        boolean[] mask = new boolean[rank];
        if (dims.length == 0) {
            Arrays.fill(mask, true);
            return mask;
        }
        for (int dim : dims) {
            int d = dim(op, dim, rank);
            if (rank == 0) {
                continue;
            }
            if (mask[d]) {
                throw new IllegalArgumentException(op + ": dim " + dim + " appears more than once in "
                        + Arrays.toString(dims));
            }
            mask[d] = true;
        }
        return mask;
    }

    /** The shape with the masked dimensions removed, or kept with size 1. */
    static int[] reduced(int[] shape, boolean[] mask, boolean keepDim) {
        int[] out = new int[keepDim ? shape.length : shape.length - count(mask)];
        for (int d = 0, o = 0; d < shape.length; d++) {
            if (!mask[d]) {
                out[o++] = shape[d];
            } else if (keepDim) {
                out[o++] = 1;
            }
        }
        return out;
    }

    static int count(boolean[] mask) {
        int n = 0;
        for (boolean b : mask) {
            if (b) {
                n++;
            }
        }
        return n;
    }
}
