package dev.soma.tensor;

import dev.soma.tensor.kernel.BinaryOp;
import dev.soma.tensor.kernel.UnaryOp;
import java.util.Arrays;

/**
 * The elementwise ops of tensors that are not float32, as plain scalar loops: arithmetic and
 * comparisons with broadcasting in a promoted type (comparisons give bool), the unary ops float64 and
 * the integer types take, and {@code where}. {@link Elementwise} sends a computation here only when
 * its result type is not float32.
 */
final class TypedElementwise {

    private TypedElementwise() {
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
            double[] x = Typed.doubles(Typed.broadcastView(a, shape));
            double[] y = Typed.doubles(Typed.broadcastView(b, shape));
            if (comparison) {
                long[] out = new long[n];
                for (int i = 0; i < n; i++) {
                    out[i] = compare(op, x[i] < y[i] ? -1 : x[i] > y[i] ? 1 : 0, x[i], y[i]) ? 1 : 0; // −0 == 0
                }
                return Tensor.wrapLongs(outType, out, shape);
            }
            double[] out = new double[n];
            for (int i = 0; i < n; i++) {
                out[i] = apply(name, op, x[i], y[i]);
            }
            return Tensor.wrapDoubles(out, shape);
        }
        long[] x = Typed.longs(Typed.broadcastView(a, shape));
        long[] y = Typed.longs(Typed.broadcastView(b, shape));
        long[] out = new long[n];
        for (int i = 0; i < n; i++) {
            out[i] = comparison ? (compare(op, Long.compare(x[i], y[i]), 0, 0) ? 1 : 0)
                    : outType.wrap(apply(name, op, x[i], y[i], type));
        }
        return Tensor.wrapLongs(outType, out, shape);
    }

    /** The error for arithmetic PyTorch does not define on bool tensors (subtraction, even with one bool operand). */
    static IllegalArgumentException undefinedForBool(String name) {
        return new IllegalArgumentException(name + ": not defined for bool tensors"
                + " (PyTorch neither: use logical ops, or convert with toLong())");
    }

    static boolean isComparison(BinaryOp op) {
        return switch (op) {
            case EQ, NE, LT, LE, GT, GE -> true;
            default -> false;
        };
    }

    /** A comparison from the sign of x − y; NaN compares false (but ≠), as IEEE and PyTorch. */
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
            default -> throw Typed.unsupported(name, DType.FLOAT64);
        };
    }

    private static long apply(String name, BinaryOp op, long x, long y, DType type) {
        if (type == DType.BOOL) {
            return switch (op) {
                case ADD, MAX -> x | y;
                case MUL, MIN -> x & y;
                default -> throw undefinedForBool(name);
            };
        }
        return switch (op) {
            case ADD -> x + y;
            case SUB -> x - y;
            case MUL -> x * y;
            case MAX -> Math.max(x, y);
            case MIN -> Math.min(x, y);
            default -> throw Typed.unsupported(name, type);
        };
    }

    /**
     * {@code op(x)} for a float64 tensor (the activations relu, sigmoid and tanh included: sigmoid as
     * {@code eˣ/(1 + eˣ)} below 0, so no {@code exp} overflows), or an integer one where the op keeps
     * integers (neg, abs, sign).
     */
    static Tensor map(UnaryOp op, Tensor x) {
        String name = op.name().toLowerCase(java.util.Locale.ROOT);
        if (x.dtype == DType.FLOAT64) {
            double[] in = Typed.doubles(x);
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
                    case RELU -> v < 0 ? 0.0 : v; // NaN kept, as PyTorch and the float32 kernel keep it
                    case SIGMOID -> v >= 0 ? 1 / (1 + Math.exp(-v)) : Math.exp(v) / (1 + Math.exp(v));
                    case TANH -> Math.tanh(v);
                    default -> throw Typed.unsupported(name, x.dtype);
                };
            }
            return Tensor.wrapDoubles(out, x.shape.clone());
        }
        if (x.dtype == DType.BOOL || !(op == UnaryOp.NEG || op == UnaryOp.ABS || op == UnaryOp.SIGN)) {
            throw Typed.unsupported(name, x.dtype);
        }
        long[] in = Typed.longs(x);
        long[] out = new long[in.length];
        for (int i = 0; i < in.length; i++) {
            out[i] = x.dtype.wrap(op == UnaryOp.NEG ? -in[i] : op == UnaryOp.ABS ? Math.abs(in[i]) : Long.signum(in[i]));
        }
        return Tensor.wrapLongs(x.dtype, out, x.shape.clone());
    }

    /** {@code condition ? a : b} elementwise for tensors of any type, in {@code type}. */
    static Tensor where(Tensor condition, Tensor a, Tensor b, int[] shape, DType type) {
        long[] c = Typed.longs(Typed.broadcastView(condition, shape));
        Tensor x = Typed.broadcastView(a.dtype == type ? a : Typed.convert(a, type), shape);
        Tensor y = Typed.broadcastView(b.dtype == type ? b : Typed.convert(b, type), shape);
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
            double[] xs = Typed.doubles(x);
            double[] ys = Typed.doubles(y);
            double[] out = new double[c.length];
            for (int i = 0; i < out.length; i++) {
                out[i] = c[i] != 0 ? xs[i] : ys[i];
            }
            return Tensor.wrapDoubles(out, shape);
        }
        long[] xs = Typed.longs(x);
        long[] ys = Typed.longs(y);
        long[] out = new long[c.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = c[i] != 0 ? xs[i] : ys[i];
        }
        return Tensor.wrapLongs(type, out, shape);
    }
}
