package dev.soma.tensor;

import dev.soma.tensor.kernel.Kernels;
import java.util.Arrays;

/**
 * The matrix product with PyTorch's {@code matmul} rules, on the kernels' {@code gemm}.
 *
 * <p>For {@code C = A·B} with upstream gradient {@code G = ∂L/∂C}: {@code ∂L/∂A = G·Bᵀ} and
 * {@code ∂L/∂B = Aᵀ·G}, each summed over batch dimensions its operand was broadcast along. Transposes
 * are views; {@link #layout} hands them to gemm as transposed operands, so backward copies nothing.
 */
final class MatMul {

    private static final Kernels KERNELS = Kernels.active();

    private MatMul() {
    }

    static Tensor matmul(Tensor a, Tensor b) {
        if (a.dtype == DType.FLOAT64 && b.dtype == DType.FLOAT64) {
            return matmulDouble(a, b);
        }
        Typed.requireFloat32("matmul", a, b);
        if (a.shape.length == 0 || b.shape.length == 0) {
            throw new IllegalArgumentException("matmul: " + Shape.format(a.shape) + " @ " + Shape.format(b.shape)
                    + ": both arguments need at least 1 dimension");
        }
        int k = a.shape[a.shape.length - 1];
        int kb = b.shape[Math.max(b.shape.length - 2, 0)];
        if (k != kb) {
            throw new IllegalArgumentException("matmul: " + Shape.format(a.shape) + " @ " + Shape.format(b.shape)
                    + ": inner dimensions differ (" + k + " vs " + kb + ")");
        }
        boolean aVector = a.shape.length == 1;
        boolean bVector = b.shape.length == 1;
        Tensor out = batched(aVector ? a.unsqueeze(0) : a, bVector ? b.unsqueeze(1) : b, a.shape, b.shape);
        if (aVector) {
            out = out.squeeze(-2);
        }
        if (bVector) {
            out = out.squeeze(-1);
        }
        return out;
    }

    /**
     * The float64 product of matrices and vectors (no batches), on the plain loop of
     * {@link TypedReductions#matmul2d}; its gradient is the same two products as float32's.
     */
    private static Tensor matmulDouble(Tensor a, Tensor b) {
        if (a.shape.length > 2 || b.shape.length > 2 || a.shape.length == 0 || b.shape.length == 0) {
            throw new IllegalArgumentException("matmul: float64 takes vectors and matrices only, got "
                    + Shape.format(a.shape) + " @ " + Shape.format(b.shape));
        }
        Tensor x = a.shape.length == 1 ? a.unsqueeze(0) : a;
        Tensor y = b.shape.length == 1 ? b.unsqueeze(1) : b;
        if (x.shape[1] != y.shape[0]) {
            throw new IllegalArgumentException("matmul: " + Shape.format(a.shape) + " @ " + Shape.format(b.shape)
                    + ": inner dimensions differ (" + x.shape[1] + " vs " + y.shape[0] + ")");
        }
        Tensor out = Autograd.record("matmul", TypedReductions.matmul2d(x, y), g -> new Tensor[] {
            x.requiresGrad() ? g.matmul(y.t()) : null, y.requiresGrad() ? x.t().matmul(g) : null}, x, y);
        if (a.shape.length == 1) {
            out = out.squeeze(-2);
        }
        return b.shape.length == 1 ? out.squeeze(-1) : out;
    }

    /** How gemm reads one operand's matrices: transposed or not, and the leading dimension. */
    private record Layout(boolean transposed, int leading) {
    }

    /** The gemm layout of the last two dimensions, or null when they need a copy first. */
    private static Layout layout(int rows, int columns, int rowStride, int columnStride) {
        if (columnStride == 1 || columns <= 1) {
            int leading = rows <= 1 ? Math.max(columns, 1) : rowStride;
            if (leading >= Math.max(columns, 1)) {
                return new Layout(false, leading);
            }
        }
        if (rowStride == 1 || rows <= 1) {
            int leading = columns <= 1 ? Math.max(rows, 1) : columnStride;
            if (leading >= Math.max(rows, 1)) {
                return new Layout(true, leading);
            }
        }
        return null;
    }

    /** {@code [..., m, k] @ [..., k, n] → [..., m, n]} with broadcast batch dimensions. */
    private static Tensor batched(Tensor a, Tensor b, int[] aShape, int[] bShape) {
        int ra = a.shape.length;
        int rb = b.shape.length;
        int m = a.shape[ra - 2];
        int k = a.shape[ra - 1];
        int n = b.shape[rb - 1];
        int[] batch;
        try {
            batch = Shape.broadcast("matmul", Arrays.copyOf(a.shape, ra - 2), Arrays.copyOf(b.shape, rb - 2));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("matmul: " + Shape.format(aShape) + " @ " + Shape.format(bShape)
                    + ": batch dimensions cannot broadcast", e);
        }
        Tensor x = ensureLayout(a, m, k);
        Tensor y = ensureLayout(b, k, n);
        Layout la = layout(m, k, x.strides[ra - 2], x.strides[ra - 1]);
        Layout lb = layout(k, n, y.strides[rb - 2], y.strides[rb - 1]);
        int[] outShape = Arrays.copyOf(batch, batch.length + 2);
        outShape[batch.length] = m;
        outShape[batch.length + 1] = n;
        float[] out = new float[Shape.numel(outShape)];
        int batches = Shape.numel(batch);
        if (out.length > 0 && k > 0) {
            int[] as = batchStrides(x, batch);
            int[] bs = batchStrides(y, batch);
            int[] index = new int[batch.length];
            int aOffset = x.offset;
            int bOffset = y.offset;
            for (int i = 0; i < batches; i++) {
                KERNELS.gemm(la.transposed(), lb.transposed(), m, n, k, x.data, aOffset, la.leading(),
                        y.data, bOffset, lb.leading(), out, i * m * n, n, false);
                for (int d = batch.length - 1; d >= 0; d--) {
                    index[d]++;
                    aOffset += as[d];
                    bOffset += bs[d];
                    if (index[d] < batch[d]) {
                        break;
                    }
                    aOffset -= index[d] * as[d];
                    bOffset -= index[d] * bs[d];
                    index[d] = 0;
                }
            }
        }
        int[] aFull = a.shape;
        int[] bFull = b.shape;
        return Autograd.record("matmul", Tensor.wrap(out, outShape), g -> new Tensor[] {
            a.requiresGrad() ? Elementwise.sumTo(g.matmul(b.transpose(-1, -2)), aFull) : null,
            b.requiresGrad() ? Elementwise.sumTo(a.transpose(-1, -2).matmul(g), bFull) : null}, a, b);
    }

    /** The operand itself when gemm can read its matrices in place, else a contiguous copy. */
    private static Tensor ensureLayout(Tensor t, int rows, int columns) {
        int r = t.shape.length;
        if (layout(rows, columns, t.strides[r - 2], t.strides[r - 1]) != null) {
            return t;
        }
        return Tensor.wrap(Strided.toContiguous(t.data, t.offset, t.shape, t.strides), t.shape.clone());
    }

    /** The operand's strides for each batch dimension of {@code batch}, 0 where it is broadcast. */
    private static int[] batchStrides(Tensor t, int[] batch) {
        int own = t.shape.length - 2;
        int lead = batch.length - own;
        int[] strides = new int[batch.length];
        for (int d = lead; d < batch.length; d++) {
            strides[d] = t.shape[d - lead] == 1 ? 0 : t.strides[d - lead];
        }
        return strides;
    }
}
