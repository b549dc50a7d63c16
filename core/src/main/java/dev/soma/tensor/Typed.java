package dev.soma.tensor;

import dev.soma.tensor.kernel.BinaryOp;
import dev.soma.tensor.kernel.UnaryOp;
import java.util.Arrays;

/**
 * The loops for tensors that are not float32: conversions between element types, and the plain
 * scalar loops of the ops that accept integer, bool or float64 tensors. The float32 ops and their
 * kernels never come here; an op reaches this class only after its float32 path has been ruled out.
 *
 * <p>Each loop reads its inputs as row-major {@code long[]} (integer types and bool) or
 * {@code double[]} (float64, and any type converted to it) and writes a new contiguous tensor.
 * Integer results are wrapped to their type's range as PyTorch's are (int32 overflow wraps around).
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
        } else {
            double[] in = doubles(x);
            out = new long[in.length];
            for (int i = 0; i < in.length; i++) {
                out[i] = type == DType.BOOL ? (in[i] != 0 ? 1 : 0) : type.wrap((long) in[i]);
            }
        }
        return Tensor.wrapLongs(type, out, shape);
    }

    // ---------------------------------------------------------------- elementwise

    /**
     * {@code op(a, b)} with broadcasting, computed in {@code type} (integer, bool or float64; never
     * float32, which has its kernels); comparisons give bool.
     */
    static Tensor zip(BinaryOp op, String name, Tensor a, Tensor b, DType type) {
        int[] shape = Arrays.equals(a.shape, b.shape) ? a.shape.clone() : Shape.broadcast(name, a.shape, b.shape);
        boolean comparison = isComparison(op);
        DType outType = comparison ? DType.BOOL : type;
        int n = Shape.numel(shape);
        if (type == DType.FLOAT64) {
            double[] x = doubles(broadcastView(a, shape));
            double[] y = doubles(broadcastView(b, shape));
            if (comparison) {
                long[] out = new long[n];
                for (int i = 0; i < n; i++) {
                    out[i] = compare(op, Double.compare(x[i], y[i]), x[i], y[i]) ? 1 : 0;
                }
                return Tensor.wrapLongs(outType, out, shape);
            }
            double[] out = new double[n];
            for (int i = 0; i < n; i++) {
                out[i] = apply(name, op, x[i], y[i]);
            }
            return Tensor.wrapDoubles(out, shape);
        }
        long[] x = longs(broadcastView(a, shape));
        long[] y = longs(broadcastView(b, shape));
        long[] out = new long[n];
        for (int i = 0; i < n; i++) {
            out[i] = comparison ? (compare(op, Long.compare(x[i], y[i]), 0, 0) ? 1 : 0)
                    : outType.wrap(apply(name, op, x[i], y[i], type));
        }
        return Tensor.wrapLongs(outType, out, shape);
    }

    static boolean isComparison(BinaryOp op) {
        return switch (op) {
            case EQ, NE, LT, LE, GT, GE -> true;
            default -> false;
        };
    }

    /** A comparison from {@code Double.compare}/{@code Long.compare}'s sign; NaN compares false (but ≠). */
    private static boolean compare(BinaryOp op, int sign, double x, double y) {
        if (Double.isNaN(x) || Double.isNaN(y)) {
            return op == BinaryOp.NE;
        }
        return switch (op) {
            case EQ -> sign == 0;
            case NE -> sign != 0;
            case LT -> sign < 0;
            case LE -> sign <= 0;
            case GT -> sign > 0;
            default -> sign >= 0;
        };
    }

    private static double apply(String name, BinaryOp op, double x, double y) {
        return switch (op) {
            case ADD -> x + y;
            case SUB -> x - y;
            case MUL -> x * y;
            case DIV -> x / y;
            case POW -> Math.pow(x, y);
            case MAX -> Double.isNaN(x) || Double.isNaN(y) ? Double.NaN : Math.max(x, y);
            case MIN -> Double.isNaN(x) || Double.isNaN(y) ? Double.NaN : Math.min(x, y);
            default -> throw unsupported(name, DType.FLOAT64);
        };
    }

    private static long apply(String name, BinaryOp op, long x, long y, DType type) {
        if (type == DType.BOOL) {
            return switch (op) {
                case ADD, MAX -> x | y;
                case MUL, MIN -> x & y;
                default -> throw new IllegalArgumentException(name + ": not defined for bool tensors"
                        + " (PyTorch neither: use logical ops, or convert with toLong())");
            };
        }
        return switch (op) {
            case ADD -> x + y;
            case SUB -> x - y;
            case MUL -> x * y;
            case MAX -> Math.max(x, y);
            case MIN -> Math.min(x, y);
            default -> throw unsupported(name, type);
        };
    }

    /** {@code op(x)} for a float64 tensor, or an integer one where the op keeps integers (neg, abs, sign). */
    static Tensor map(UnaryOp op, Tensor x) {
        String name = op.name().toLowerCase(java.util.Locale.ROOT);
        if (x.dtype == DType.FLOAT64) {
            double[] in = doubles(x);
            double[] out = new double[in.length];
            for (int i = 0; i < in.length; i++) {
                double v = in[i];
                out[i] = switch (op) {
                    case NEG -> -v;
                    case EXP -> Math.exp(v);
                    case LOG -> Math.log(v);
                    case SQRT -> Math.sqrt(v);
                    case ABS -> Math.abs(v);
                    case SIGN -> Math.signum(v);
                    default -> throw unsupported(name, x.dtype);
                };
            }
            return Tensor.wrapDoubles(out, x.shape.clone());
        }
        if (x.dtype == DType.BOOL || !(op == UnaryOp.NEG || op == UnaryOp.ABS || op == UnaryOp.SIGN)) {
            throw unsupported(name, x.dtype);
        }
        long[] in = longs(x);
        long[] out = new long[in.length];
        for (int i = 0; i < in.length; i++) {
            out[i] = x.dtype.wrap(op == UnaryOp.NEG ? -in[i] : op == UnaryOp.ABS ? Math.abs(in[i]) : Long.signum(in[i]));
        }
        return Tensor.wrapLongs(x.dtype, out, x.shape.clone());
    }

    /** {@code condition ? a : b} elementwise for tensors of any type, in {@code type}. */
    static Tensor where(Tensor condition, Tensor a, Tensor b, int[] shape, DType type) {
        long[] c = longs(broadcastView(condition, shape));
        Tensor x = broadcastView(a.dtype == type ? a : convert(a, type), shape);
        Tensor y = broadcastView(b.dtype == type ? b : convert(b, type), shape);
        if (type == DType.FLOAT32) {
            float[] xs = x.contiguousData();
            float[] ys = y.contiguousData();
            float[] out = new float[c.length];
            for (int i = 0; i < out.length; i++) {
                out[i] = c[i] != 0 ? xs[i] : ys[i];
            }
            return Tensor.wrap(out, shape);
        }
        if (type == DType.FLOAT64) {
            double[] xs = doubles(x);
            double[] ys = doubles(y);
            double[] out = new double[c.length];
            for (int i = 0; i < out.length; i++) {
                out[i] = c[i] != 0 ? xs[i] : ys[i];
            }
            return Tensor.wrapDoubles(out, shape);
        }
        long[] xs = longs(x);
        long[] ys = longs(y);
        long[] out = new long[c.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = c[i] != 0 ? xs[i] : ys[i];
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
