package dev.soma.tensor;

import java.util.Arrays;

/**
 * The storage of tensors that are not float32: reading any tensor as row-major {@code long[]}
 * (integer types and bool), {@code double[]} (float64, and any type converted to it) or
 * {@code float[]}, conversion between element types, picking and writing elements, and the errors of
 * ops that take float32 only. {@link TypedElementwise} and {@link TypedReductions} hold the ops'
 * plain loops; the float32 ops and their kernels never come here. Integer results are wrapped to
 * their type's range as PyTorch's are (int32 overflow wraps around).
 */
final class Typed {

    private Typed() {
    }

    // ---------------------------------------------------------------- reading any storage

    /** The storage position of each element of {@code t}, in row-major order. */
    static int[] positions(Tensor t) {
        int[] out = new int[t.numel()];
        int[] shape = t.shape;
        int rank = shape.length;
        int inner = rank == 0 ? 1 : shape[rank - 1];
        int innerStride = rank == 0 ? 1 : t.strides[rank - 1];
        Strided.forEachRow(shape, t.strides, t.offset, (row, start) -> {
            for (int i = 0; i < inner; i++) {
                out[row * inner + i] = start + i * innerStride;
            }
        });
        return out;
    }

    /** The elements of an integer or bool tensor in row-major order (float ones truncated toward 0). */
    static long[] longs(Tensor t) {
        if (t.longs != null && t.offset == 0 && t.longs.length == t.numel() && t.isContiguous()) {
            return t.longs;
        }
        if (t.data != null) {
            float[] values = t.contiguousData();
            long[] out = new long[values.length];
            for (int i = 0; i < values.length; i++) {
                out[i] = (long) values[i];
            }
            return out;
        }
        int[] at = positions(t);
        long[] out = new long[at.length];
        for (int i = 0; i < at.length; i++) {
            out[i] = t.longs != null ? t.longs[at[i]]
                    : t.doubles != null ? (long) t.doubles[at[i]] : (long) t.data[at[i]];
        }
        return out;
    }

    /** The elements of any tensor in row-major order, as doubles (exact for all but int64 beyond 2⁵³). */
    static double[] doubles(Tensor t) {
        if (t.doubles != null && t.offset == 0 && t.doubles.length == t.numel() && t.isContiguous()) {
            return t.doubles;
        }
        if (t.data != null) {
            float[] values = t.contiguousData();
            double[] out = new double[values.length];
            for (int i = 0; i < values.length; i++) {
                out[i] = values[i];
            }
            return out;
        }
        int[] at = positions(t);
        double[] out = new double[at.length];
        for (int i = 0; i < at.length; i++) {
            out[i] = t.doubles != null ? t.doubles[at[i]] : t.longs != null ? t.longs[at[i]] : t.data[at[i]];
        }
        return out;
    }

    /** The elements of any tensor in row-major order, rounded to float32. */
    static float[] floats(Tensor t) {
        if (t.data != null) {
            return t.contiguousData();
        }
        if (t.longs != null && t.offset == 0 && t.longs.length == t.numel() && t.isContiguous()) {
            float[] out = new float[t.longs.length];
            for (int i = 0; i < out.length; i++) {
                out[i] = t.longs[i];
            }
            return out;
        }
        int[] at = positions(t);
        float[] out = new float[at.length];
        for (int i = 0; i < at.length; i++) {
            out[i] = t.longs != null ? (float) t.longs[at[i]] : (float) t.doubles[at[i]];
        }
        return out;
    }

    /** {@code t} broadcast to {@code shape} as a view (stride 0 along stretched dimensions), unrecorded. */
    static Tensor broadcastView(Tensor t, int[] shape) {
        if (Arrays.equals(t.shape, shape)) {
            return t;
        }
        int lead = shape.length - t.shape.length;
        int[] strides = new int[shape.length];
        for (int d = lead; d < shape.length; d++) {
            strides[d] = t.shape[d - lead] == 1 && shape[d] != 1 ? 0 : t.strides[d - lead];
        }
        return t.restride(t.offset, shape, strides);
    }

    // ---------------------------------------------------------------- conversion

    /**
     * {@code x}'s values as {@code type}, as PyTorch's {@code x.to(type)}: floats to integers truncate
     * toward zero (NaN becomes 0), integers wrap to the narrower type's range, anything to bool is
     * {@code ≠ 0}. Records no graph (see {@link Tensor#to}).
     */
    static Tensor convert(Tensor x, DType type) {
        int[] shape = x.shape.clone();
        if (type == DType.FLOAT32) {
            return Tensor.wrap(floats(x), shape);
        }
        if (type == DType.FLOAT64) {
            return Tensor.wrapDoubles(x.doubles != null ? doubles(x).clone() : doubles(x), shape);
        }
        long[] out;
        if (x.longs != null) {
            long[] in = longs(x);
            out = new long[in.length];
            for (int i = 0; i < in.length; i++) {
                out[i] = type.wrap(in[i]);
            }
        } else if (x.data != null) {
            float[] in = x.contiguousData(); // float32 to an integer type or bool, straight from its storage
            out = new long[in.length];
            for (int i = 0; i < in.length; i++) {
                out[i] = type == DType.BOOL ? (in[i] != 0 ? 1 : 0) : type.wrap((long) in[i]);
            }
        } else {
            double[] in = doubles(x);
            out = new long[in.length];
            for (int i = 0; i < in.length; i++) {
                out[i] = type == DType.BOOL ? (in[i] != 0 ? 1 : 0) : type.wrap((long) in[i]);
            }
        }
        return Tensor.wrapLongs(type, out, shape);
    }

    // ---------------------------------------------------------------- picking elements

    /** The elements of {@code x} at row-major positions {@code picks}, with {@code shape}, in x's type. */
    static Tensor take(Tensor x, int[] picks, int[] shape) {
        if (x.dtype == DType.FLOAT64) {
            double[] in = doubles(x);
            double[] out = new double[picks.length];
            for (int i = 0; i < picks.length; i++) {
                out[i] = in[picks[i]];
            }
            return Tensor.wrapDoubles(out, shape);
        }
        long[] in = longs(x);
        long[] out = new long[picks.length];
        for (int i = 0; i < picks.length; i++) {
            out[i] = in[picks[i]];
        }
        return Tensor.wrapLongs(x.dtype, out, shape);
    }

    /** Writes {@code source}'s values (converted to the target's type) into the strided {@code target}. */
    static void write(Tensor target, Tensor source) {
        int[] at = positions(target);
        if (target.data != null) {
            float[] values = floats(source);
            for (int i = 0; i < at.length; i++) {
                target.data[at[i]] = values[i];
            }
        } else if (target.doubles != null) {
            double[] values = doubles(source);
            for (int i = 0; i < at.length; i++) {
                target.doubles[at[i]] = values[i];
            }
        } else {
            long[] values = longs(source.dtype == target.dtype ? source : convert(source, target.dtype));
            for (int i = 0; i < at.length; i++) {
                target.longs[at[i]] = values[i];
            }
        }
    }

    // ---------------------------------------------------------------- errors

    /** The error for an op that does not accept {@code type}. */
    static IllegalArgumentException unsupported(String op, DType type) {
        return new IllegalArgumentException(op + ": not implemented for " + type + " tensors");
    }

    /** Checks that every tensor is float32, else the error naming the op and the types. */
    static void requireFloat32(String op, Tensor... tensors) {
        for (Tensor t : tensors) {
            if (t != null && t.dtype != DType.FLOAT32) {
                throw new IllegalArgumentException(op + ": expected float32 tensors, got " + types(tensors));
            }
        }
    }

    /** "int64 and float32": the types of the tensors given. */
    static String types(Tensor... tensors) {
        StringBuilder out = new StringBuilder();
        int count = 0;
        for (Tensor t : tensors) {
            if (t != null) {
                count++;
            }
        }
        int i = 0;
        for (Tensor t : tensors) {
            if (t == null) {
                continue;
            }
            out.append(i == 0 ? "" : i == count - 1 ? " and " : ", ").append(t.dtype);
            i++;
        }
        return out.toString();
    }
}
