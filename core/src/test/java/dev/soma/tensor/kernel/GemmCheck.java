package dev.soma.tensor.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Arrays;
import java.util.Random;

/** The check every fast matrix product is held to: the scalar specification, within float rounding. */
public final class GemmCheck {

    private GemmCheck() {
    }

    /**
     * {@code op(A)·op(B)} on {@code kernels} and on the scalar ones, A, B and C at nonzero offsets with
     * leading dimensions padded by {@code pad}; C starts as NaN unless accumulating (so every element
     * must be written), and A, B and everything outside C's block must stay as they were. Per element,
     * the float-accumulation error is bounded by {@code (k+2)·2⁻²⁴·(Σₚ|A[i,p]·B[p,j]| + |C₀[i,j]|)}.
     */
    public static void check(Kernels kernels, boolean transA, boolean transB, int m, int n, int k, int pad,
                             boolean accumulate) {
        Random random = new Random(m * 1_000_003L + n * 1009L + k * 7L + pad + (transA ? 2 : 0) + (transB ? 1 : 0));
        int lda = Math.max(1, (transA ? m : k) + pad);
        int ldb = Math.max(1, (transB ? k : n) + pad);
        int ldc = Math.max(1, n + pad);
        int aOffset = pad == 0 ? 0 : 3;
        int bOffset = pad == 0 ? 0 : 7;
        int cOffset = pad == 0 ? 0 : 5;
        float[] a = randomMatrix(random, aOffset + (transA ? k : m) * lda + pad);
        float[] b = randomMatrix(random, bOffset + (transB ? n : k) * ldb + pad);
        float[] c0 = randomMatrix(random, cOffset + m * ldc + pad);
        for (int i = 0; i < m && !accumulate; i++) {
            Arrays.fill(c0, cOffset + i * ldc, cOffset + i * ldc + n, Float.NaN);
        }
        float[] aBefore = a.clone();
        float[] bBefore = b.clone();
        float[] expected = c0.clone();
        float[] actual = c0.clone();
        Kernels.scalar().gemm(transA, transB, m, n, k, a, aOffset, lda, b, bOffset, ldb, expected, cOffset, ldc, accumulate);
        kernels.gemm(transA, transB, m, n, k, a, aOffset, lda, b, bOffset, ldb, actual, cOffset, ldc, accumulate);
        String shape = "m=" + m + " n=" + n + " k=" + k + " transA=" + transA + " transB=" + transB
                + " accumulate=" + accumulate + " pad=" + pad;
        assertArrayEquals(aBefore, a, shape + ": A was modified");
        assertArrayEquals(bBefore, b, shape + ": B was modified");

        float[] bound = accumulate ? abs(c0) : new float[c0.length];
        Kernels.scalar().gemm(transA, transB, m, n, k, abs(a), aOffset, lda, abs(b), bOffset, ldb, bound, cOffset, ldc, true);
        for (int i = 0; i < c0.length; i++) {
            int row = Math.floorDiv(i - cOffset, ldc);
            int col = Math.floorMod(i - cOffset, ldc);
            boolean inC = i >= cOffset && row < m && col < n;
            double tolerance = inC ? (k + 2) * 0x1p-24 * bound[i] : 0;
            if (Float.compare(expected[i], actual[i]) != 0 && !(Math.abs(expected[i] - actual[i]) <= tolerance)) {
                fail(shape + ": at C[" + row + ", " + col + "] (index " + i + ", inside C: " + inC
                        + ") expected " + expected[i] + " but was " + actual[i] + ", tolerance " + tolerance);
            }
        }
    }

    /** {@code size} floats drawn uniformly from [−1, 1). */
    public static float[] randomMatrix(Random random, int size) {
        float[] values = new float[size];
        for (int i = 0; i < size; i++) {
            values[i] = random.nextFloat() * 2 - 1;
        }
        return values;
    }

    /** {@code |x|}, element by element. */
    public static float[] abs(float[] x) {
        float[] y = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = Math.abs(x[i]);
        }
        return y;
    }
}
