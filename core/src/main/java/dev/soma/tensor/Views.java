package dev.soma.tensor;

import java.util.Arrays;

/**
 * Ops that reinterpret a tensor's storage without copying it: reshape, permute, expand, slice,
 * squeeze and unsqueeze. Each changes only shape, strides and offset; its backward rule maps the
 * gradient back to the input's shape (reshape back, permute back, sum over the expanded dimensions,
 * place the slice into zeros).
 */
final class Views {

    private Views() {
    }

    private static Tensor view(Tensor x, int offset, int[] shape, int[] strides) {
        return x.restride(offset, shape, strides);
    }

    /** A view with {@code shape}; requires a contiguous tensor. */
    static Tensor view(Tensor x, int[] shape) {
        int[] target = inferShape("view", x, shape);
        if (!x.isContiguous()) {
            throw new IllegalStateException("view: the tensor of shape " + Shape.format(x.shape)
                    + " with strides " + Arrays.toString(x.strides) + " is not contiguous;"
                    + " use reshape() or contiguous().view()");
        }
        Tensor out = view(x, x.offset, target, Shape.contiguousStrides(target));
        int[] inputShape = x.shape;
        return Autograd.record("view", out, g -> new Tensor[] {g.reshape(inputShape)}, x);
    }

    /** A view with {@code shape} when the tensor is contiguous, else a reshaped copy. */
    static Tensor reshape(Tensor x, int[] shape) {
        inferShape("reshape", x, shape);
        return view(contiguous(x), shape);
    }

    /** {@code shape} with a -1 replaced by the size that keeps the element count; checked. */
    private static int[] inferShape(String op, Tensor x, int[] shape) {
        int[] target = shape.clone();
        int inferred = -1;
        long known = 1;
        for (int d = 0; d < target.length; d++) {
            if (target[d] == -1 && inferred < 0) {
                inferred = d;
            } else if (target[d] < 0) {
                throw new IllegalArgumentException(op + ": invalid shape " + Shape.format(shape)
                        + " (only one size may be -1, others must be ≥ 0)");
            } else {
                known *= target[d];
            }
        }
        int numel = x.numel();
        if (inferred >= 0) {
            if (known == 0 || numel % known != 0) {
                throw new IllegalArgumentException(op + ": shape " + Shape.format(shape)
                        + " is invalid for input of shape " + Shape.format(x.shape) + " (" + numel + " elements)");
            }
            target[inferred] = (int) (numel / known);
        } else if (known != numel) {
            throw new IllegalArgumentException(op + ": shape " + Shape.format(shape) + " is invalid for input of shape "
                    + Shape.format(x.shape) + " (" + numel + " elements)");
        }
        return target;
    }

    /** The view with dimensions reordered, recorded: the gradient is permuted back. */
    static Tensor permute(Tensor x, int[] dims) {
        int rank = x.shape.length;
        if (dims.length != rank) {
            throw new IllegalArgumentException("permute: " + Arrays.toString(dims) + " has " + dims.length
                    + " dims, the tensor of shape " + Shape.format(x.shape) + " has " + rank);
        }
        int[] order = new int[rank];
        boolean[] seen = new boolean[rank];
        for (int i = 0; i < rank; i++) {
            order[i] = Shape.dim("permute", dims[i], rank);
            if (seen[order[i]]) {
                throw new IllegalArgumentException("permute: dim " + dims[i] + " repeats in " + Arrays.toString(dims));
            }
            seen[order[i]] = true;
        }
        int[] inverse = new int[rank];
        for (int i = 0; i < rank; i++) {
            inverse[order[i]] = i;
        }
        return Autograd.record("permute", permuteRaw(x, order), g -> new Tensor[] {g.permute(inverse)}, x);
    }

    /** The permuted view, unchecked and unrecorded (for reductions). */
    static Tensor permuteRaw(Tensor x, int[] order) {
        int[] shape = new int[order.length];
        int[] strides = new int[order.length];
        for (int i = 0; i < order.length; i++) {
            shape[i] = x.shape[order[i]];
            strides[i] = x.strides[order[i]];
        }
        return view(x, x.offset, shape, strides);
    }

    static Tensor transpose(Tensor x, int dim0, int dim1) {
        int rank = x.shape.length;
        int[] order = new int[rank];
        for (int i = 0; i < rank; i++) {
            order[i] = i;
        }
        if (rank == 0) {
            Shape.dim("transpose", dim0, 0);
            Shape.dim("transpose", dim1, 0);
            return x;
        }
        int a = Shape.dim("transpose", dim0, rank);
        int b = Shape.dim("transpose", dim1, rank);
        order[a] = b;
        order[b] = a;
        return permute(x, order);
    }

    /**
     * This tensor repeated along size-1 dimensions (stride 0) and new leading dimensions to
     * {@code shape}; the gradient is summed back over them.
     */
    static Tensor expand(Tensor x, int[] shape) {
        int rank = shape.length;
        int lead = rank - x.shape.length;
        if (lead < 0) {
            throw new IllegalArgumentException("expand: cannot expand shape " + Shape.format(x.shape)
                    + " to fewer dimensions " + Shape.format(shape));
        }
        int[] outShape = new int[rank];
        int[] outStrides = new int[rank];
        for (int d = 0; d < rank; d++) {
            int target = shape[d];
            if (d < lead) {
                if (target < 0) {
                    throw new IllegalArgumentException("expand: size -1 is not allowed in a new leading dim, "
                            + Shape.format(x.shape) + " to " + Shape.format(shape));
                }
                outShape[d] = target;
                continue;
            }
            int own = x.shape[d - lead];
            if (target == -1 || target == own) {
                outShape[d] = own;
                outStrides[d] = x.strides[d - lead];
            } else if (own == 1 && target >= 0) {
                outShape[d] = target;
            } else {
                throw new IllegalArgumentException("expand: shape " + Shape.format(x.shape) + " cannot expand to "
                        + Shape.format(shape) + " (dim " + d + ": " + own + " vs " + target
                        + "; only size-1 dims expand)");
            }
        }
        if (Arrays.equals(outShape, x.shape)) {
            return x;
        }
        int[] inputShape = x.shape;
        return Autograd.record("expand", view(x, x.offset, outShape, outStrides),
                g -> new Tensor[] {Elementwise.sumTo(g, inputShape)}, x);
    }

    /**
     * Elements {@code start, start+step, …} below {@code end} of {@code dim}. Negative positions count
     * from the end. {@code slice} clamps positions to the dimension, as Python does; {@code narrow} and
     * {@code select} insist they lie inside it, and keep the length {@code end - start} when a negative
     * start is counted from the end.
     */
    static Tensor slice(Tensor x, int dim, int start, int end, int step, String op) {
        int d = Shape.dim(op, dim, x.shape.length);
        if (x.shape.length == 0) {
            throw new IllegalArgumentException(op + ": cannot slice a rank-0 tensor");
        }
        if (step <= 0) {
            throw new IllegalArgumentException(op + ": step must be > 0, got " + step);
        }
        int size = x.shape[d];
        boolean strict = !op.equals("slice");
        int from = start < 0 ? start + size : start;
        int to = strict ? from + (end - start) : end < 0 ? end + size : end;
        if (strict) {
            if (from < 0 || from > size || to < from || to > size) {
                throw new IndexOutOfBoundsException(op + ": positions [" + start + ", " + end + ") are out of range"
                        + " for dim " + d + " of size " + size + " in shape " + Shape.format(x.shape));
            }
        } else {
            from = Math.clamp(from, 0, size);
            to = Math.clamp(to, from, size);
        }
        int length = (to - from + step - 1) / step;
        int[] shape = x.shape.clone();
        int[] strides = x.strides.clone();
        shape[d] = length;
        strides[d] = x.strides[d] * step;
        int offset = length == 0 ? x.offset : x.offset + from * x.strides[d];
        int[] inputShape = x.shape;
        int first = from;
        return Autograd.record(op, view(x, offset, shape, strides), g -> {
            Tensor full = Tensor.zeros(g.dtype, inputShape);
            Tensor region = view(full, first * full.strides[d], shape, stridesOfSlice(full, d, step));
            if (g.dtype == DType.FLOAT32) {
                Strided.write(region, g.contiguousData(), false);
            } else {
                Typed.write(region, g);
            }
            return new Tensor[] {full};
        }, x);
    }

    private static int[] stridesOfSlice(Tensor full, int d, int step) {
        int[] strides = full.strides.clone();
        strides[d] *= step;
        return strides;
    }

    /** The view without dimension {@code dim} (or every size-1 dimension when null), if its size is 1. */
    static Tensor squeeze(Tensor x, Integer dim) {
        int rank = x.shape.length;
        boolean[] drop = new boolean[rank];
        if (dim == null) {
            for (int d = 0; d < rank; d++) {
                drop[d] = x.shape[d] == 1;
            }
        } else if (rank > 0) {
            int d = Shape.dim("squeeze", dim, rank);
            drop[d] = x.shape[d] == 1;
        } else {
            Shape.dim("squeeze", dim, 0);
        }
        int kept = rank - Shape.count(drop);
        if (kept == rank) {
            return x;
        }
        int[] shape = new int[kept];
        int[] strides = new int[kept];
        for (int d = 0, o = 0; d < rank; d++) {
            if (!drop[d]) {
                shape[o] = x.shape[d];
                strides[o++] = x.strides[d];
            }
        }
        int[] inputShape = x.shape;
        return Autograd.record("squeeze", view(x, x.offset, shape, strides),
                g -> new Tensor[] {g.reshape(inputShape)}, x);
    }

    /** The view with a new size-1 dimension at {@code dim} ({@code -rank-1 ≤ dim ≤ rank}). */
    static Tensor unsqueeze(Tensor x, int dim) {
        int rank = x.shape.length;
        if (dim < -rank - 1 || dim > rank) {
            throw new IllegalArgumentException("unsqueeze: dim " + dim + " is out of range for a tensor of rank "
                    + rank + " (expected " + (-rank - 1) + " to " + rank + ")");
        }
        int d = dim < 0 ? dim + rank + 1 : dim;
        int[] shape = new int[rank + 1];
        int[] strides = new int[rank + 1];
        for (int i = 0, o = 0; i <= rank; i++) {
            if (i == d) {
                shape[i] = 1;
                strides[i] = d < rank ? x.strides[d] * x.shape[d] : 1;
            } else {
                shape[i] = x.shape[o];
                strides[i] = x.strides[o++];
            }
        }
        int[] inputShape = x.shape;
        return Autograd.record("unsqueeze", view(x, x.offset, shape, strides),
                g -> new Tensor[] {g.reshape(inputShape)}, x);
    }

    /** Dimensions {@code startDim..endDim} (inclusive) merged into one. */
    static Tensor flatten(Tensor x, int startDim, int endDim) {
        int rank = x.shape.length;
        if (rank == 0) {
            return x.reshape(1);
        }
        int s = Shape.dim("flatten", startDim, rank);
        int e = Shape.dim("flatten", endDim, rank);
        if (s > e) {
            throw new IllegalArgumentException("flatten: startDim " + startDim + " comes after endDim " + endDim);
        }
        int[] shape = new int[rank - (e - s)];
        for (int d = 0, o = 0; d < rank; d++) {
            if (d <= s || d > e) {
                shape[o++] = x.shape[d];
            } else {
                shape[o - 1] *= x.shape[d];
            }
        }
        return x.reshape(shape);
    }

    /** This tensor if contiguous, else a row-major copy whose gradient passes through unchanged. */
    static Tensor contiguous(Tensor x) {
        if (x.isContiguous()) {
            return x;
        }
        Tensor copy = x.dtype == DType.FLOAT32
                ? Tensor.wrap(Strided.toContiguous(x.data, x.offset, x.shape, x.strides), x.shape.clone())
                : Typed.convert(x, x.dtype);
        return Autograd.record("contiguous", copy, g -> new Tensor[] {g}, x);
    }
}
