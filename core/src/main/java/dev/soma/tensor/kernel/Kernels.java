package dev.soma.tensor.kernel;

/**
 * The loops under every tensor op: elementwise maps, reductions and matrix products on runs of
 * {@code float[]}.
 *
 * <p>Kernels know nothing of tensors, shapes or gradients: they see arrays, offsets and lengths. The
 * tensor layer turns strided, broadcast tensors into such runs. {@link ScalarKernels} is the readable
 * specification; {@code SimdKernels} (package {@code simd}) computes the same values with the Vector
 * API. {@link #active()} is the one place that chooses between them. Running work on several threads
 * is not arithmetic and is not here: see {@link Workers}.
 *
 * <p>Every method writes only its output array, in the range it is given; inputs are not modified
 * (unless the caller passes the same array as input and output, which every method allows for
 * elementwise work).
 */
public interface Kernels {

    /** A short name for reports, such as {@code "scalar"} or {@code "simd (AVX-512, 16 float lanes)"}. */
    String name();

    /** {@code y[yOffset + i] = op(x[xOffset + i])} for {@code i} in {@code [0, n)}. */
    void map(UnaryOp op, float[] x, int xOffset, float[] y, int yOffset, int n);

    /**
     * {@code out[outOffset + i] = op(a[aOffset + i·aStride], b[bOffset + i·bStride])} for {@code i} in
     * {@code [0, n)}.
     *
     * @param aStride 1 to walk {@code a}, or 0 to repeat its one element (broadcasting)
     * @param bStride 1 to walk {@code b}, or 0 to repeat its one element (broadcasting)
     */
    void zip(BinaryOp op, float[] a, int aOffset, int aStride, float[] b, int bOffset, int bStride,
             float[] out, int outOffset, int n);

    /**
     * The sum of {@code x[offset .. offset+n)}; 0 when {@code n == 0}. The scalar kernel accumulates in
     * double; faster kernels may accumulate in many float lanes, so their error grows slowly with n.
     */
    float sum(float[] x, int offset, int n);

    /** The largest of {@code x[offset .. offset+n)}, NaN if any is NaN; requires {@code n > 0}. */
    float max(float[] x, int offset, int n);

    /** The smallest of {@code x[offset .. offset+n)}, NaN if any is NaN; requires {@code n > 0}. */
    float min(float[] x, int offset, int n);

    /**
     * The matrix product {@code C = op(A)·op(B)} (or {@code C += op(A)·op(B)} when {@code accumulate}),
     * row-major, as BLAS's {@code sgemm} with {@code alpha = 1}.
     *
     * <p>{@code op(A)} is {@code [m, k]}: element {@code (i, p)} is {@code a[aOffset + i·lda + p]}, or
     * {@code a[aOffset + p·lda + i]} when {@code transA}. Likewise {@code op(B)} is {@code [k, n]} and
     * {@code C} is {@code [m, n]} with row stride {@code ldc}.
     */
    void gemm(boolean transA, boolean transB, int m, int n, int k,
              float[] a, int aOffset, int lda,
              float[] b, int bOffset, int ldb,
              float[] c, int cOffset, int ldc, boolean accumulate);

    /**
     * 2×2 max pooling with stride 2 of {@code rows} output rows of {@code n} (a plane, or part of one):
     * output row r reads the input rows starting at {@code t = top + 2r·width} and {@code b = t + width},
     * and for {@code i} in {@code [0, n)} the window is {@code x[t + 2i]}, {@code x[t + 2i + 1]},
     * {@code x[b + 2i]}, {@code x[b + 2i + 1]} (in that, row-major, order); {@code out[outOffset + r·n + i]}
     * is its maximum and {@code source[outOffset + r·n + i]} the index in {@code x} of that maximum,
     * found by PyTorch's running rule: an element replaces the best so far when it is larger or NaN (so
     * ties go to the first, and NaN wins). Requires {@code 2n ≤ width}.
     */
    void maxPool2x2(float[] x, int top, int width, int rows, float[] out, int[] source, int outOffset, int n);

    /**
     * The backward of {@link #maxPool2x2} over the same windows, written densely: each window's four
     * elements of {@code x} are set, the one at {@code source[sourceOffset + r·n + i]} to
     * {@code grad[gradOffset + r·n + i] + 0} (so −0 becomes +0, as when it is added to a zeroed
     * array) and the other three to 0. Elements outside every window (a last odd column or row) are
     * not written.
     */
    void maxUnpool2x2(float[] grad, int gradOffset, int[] source, int sourceOffset, int n, int rows, float[] x,
                      int top, int width);

    /** The width in bits of the vectors the kernels compute with: one float's 32 for the scalar kernels. */
    default int vectorBits() {
        return Float.SIZE;
    }

    /** The kernels chosen for this JVM, once, at first use; see {@link KernelProvider}. */
    static Kernels active() {
        return KernelProvider.ACTIVE.kernels();
    }

    /**
     * Which matrix product {@link #active()} uses, Java's or OpenBLAS's ({@code SOMA_BLAS}), and why:
     * one line for {@code soma --version}.
     */
    static String gemmChoice() {
        return KernelProvider.ACTIVE.gemm();
    }

    /** The scalar reference kernels, whatever {@link #active()} is. */
    static Kernels scalar() {
        return ScalarKernels.INSTANCE;
    }
}
