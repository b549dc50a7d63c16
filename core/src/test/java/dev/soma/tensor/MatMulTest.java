package dev.soma.tensor;

import static dev.soma.testing.TensorAssertions.assertShape;
import static dev.soma.testing.TensorAssertions.assertValues;
import static dev.soma.testing.TensorAssertions.broadcastGet;
import static dev.soma.testing.TensorAssertions.indices;
import static dev.soma.testing.TensorAssertions.seeded;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class MatMulTest {

    /**
     * PyTorch's matmul by its definition, in double: vectors are promoted to matrices (a leading 1 for
     * the left, a trailing 1 for the right) and the added dimension dropped; batch dimensions broadcast.
     * Checks shape and values, each within 1e-5·Σ|aᵢₚ·bₚⱼ| + 1e-7 (float accumulation over k terms).
     */
    private static void assertMatmul(Tensor a, Tensor b) {
        Tensor actual = a.matmul(b);
        Tensor a2 = a.dim() == 1 ? a.unsqueeze(0) : a;
        Tensor b2 = b.dim() == 1 ? b.unsqueeze(1) : b;
        int m = a2.size(-2);
        int k = a2.size(-1);
        int n = b2.size(-1);
        int[] aBatch = Arrays.copyOf(a2.shape(), a2.dim() - 2);
        int[] bBatch = Arrays.copyOf(b2.shape(), b2.dim() - 2);
        int rank = Math.max(aBatch.length, bBatch.length);
        int[] batch = new int[rank];
        for (int i = 1; i <= rank; i++) {
            int sa = i <= aBatch.length ? aBatch[aBatch.length - i] : 1;
            int sb = i <= bBatch.length ? bBatch[bBatch.length - i] : 1;
            batch[rank - i] = sa == 1 ? sb : sa;
        }
        int[] fullShape = Arrays.copyOf(batch, rank + 2);
        fullShape[rank] = m;
        fullShape[rank + 1] = n;
        int[] expectedShape = fullShape;
        if (a.dim() == 1 && b.dim() == 1) {
            expectedShape = new int[0];
        } else if (a.dim() == 1) {
            expectedShape = dropDim(fullShape, rank);
        } else if (b.dim() == 1) {
            expectedShape = dropDim(fullShape, rank + 1);
        }
        assertShape(actual, expectedShape);
        float[] values = actual.toArray();
        List<int[]> all = indices(fullShape);
        for (int e = 0; e < all.size(); e++) {
            int[] index = all.get(e);
            double sum = 0;
            double magnitude = 0;
            for (int p = 0; p < k; p++) {
                int[] ai = index.clone();
                ai[rank + 1] = p;
                int[] bi = index.clone();
                bi[rank] = p;
                double product = (double) broadcastGet(a2, ai) * broadcastGet(b2, bi);
                sum += product;
                magnitude += Math.abs(product);
            }
            if (Math.abs(values[e] - sum) > 1e-5 * magnitude + 1e-7) {
                fail("element " + Arrays.toString(index) + ": expected " + sum + ", got " + values[e]);
            }
        }
    }

    private static int[] dropDim(int[] shape, int dim) {
        int[] out = new int[shape.length - 1];
        for (int d = 0, o = 0; d < shape.length; d++) {
            if (d != dim) {
                out[o++] = shape[d];
            }
        }
        return out;
    }

    static Stream<Arguments> shapes() {
        return Stream.of(
                Arguments.of(new int[] {5}, new int[] {5}),
                Arguments.of(new int[] {1}, new int[] {1}),
                Arguments.of(new int[] {3, 5}, new int[] {5}),
                Arguments.of(new int[] {5}, new int[] {5, 4}),
                Arguments.of(new int[] {3, 5}, new int[] {5, 4}),
                Arguments.of(new int[] {1, 1}, new int[] {1, 1}),
                Arguments.of(new int[] {17, 33}, new int[] {33, 15}),
                Arguments.of(new int[] {16, 16}, new int[] {16, 16}),
                Arguments.of(new int[] {2, 3, 4, 5}, new int[] {5, 6}),
                Arguments.of(new int[] {2, 1, 4, 5}, new int[] {3, 5, 6}),
                Arguments.of(new int[] {4, 5}, new int[] {2, 5, 6}),
                Arguments.of(new int[] {5}, new int[] {2, 5, 6}),
                Arguments.of(new int[] {2, 3, 5}, new int[] {5}),
                Arguments.of(new int[] {2, 1, 3, 5}, new int[] {1, 4, 5, 2}),
                Arguments.of(new int[] {64, 100}, new int[] {100, 3}));
    }

    @ParameterizedTest(name = "{0} @ {1}")
    @MethodSource("shapes")
    void matchesTheDefinition(int[] aShape, int[] bShape) {
        assertMatmul(seeded(1, 1, aShape), seeded(2, 1, bShape));
    }

    @Test
    void vectorDotVectorIsRankZero() {
        Tensor dot = Tensor.vector(1, 2, 3).matmul(Tensor.vector(4, 5, 6));
        assertShape(dot, new int[0]);
        assertEquals(32f, dot.item());
    }

    @Test
    void smallExactProducts() {
        Tensor a = Tensor.matrix(new float[][] {{1, 2}, {3, 4}});
        Tensor b = Tensor.matrix(new float[][] {{5, 6}, {7, 8}});
        assertValues(a.matmul(b), new int[] {2, 2}, 19, 22, 43, 50);
        assertValues(a.matmul(Tensor.vector(1, -1)), new int[] {2}, -1, -1);
        assertValues(Tensor.vector(1, -1).matmul(a), new int[] {2}, -2, -2);
        assertValues(a.matmul(Tensor.eye(2)), new int[] {2, 2}, 1, 2, 3, 4);
    }

    @Test
    void transposedAndSlicedOperandsEqualTheContiguousResult() {
        Tensor a = seeded(3, 1, 6, 8);
        Tensor b = seeded(4, 1, 9, 7);
        List<Tensor> lefts = List.of(
                seeded(5, 1, 5, 4).t(),                            // [4, 5], transposed
                a.narrow(1, 2, 5).narrow(0, 1, 4),                 // row stride 8, offset 10
                a.slice(1, 0, 8, 2).narrow(0, 0, 4),               // column stride 2
                a.t().slice(0, 0, 8, 2).narrow(1, 0, 5),           // strides [2, 8]
                seeded(6, 1, 4).view(4, 1).expand(4, 5));          // column stride 0
        for (Tensor left : lefts) {
            int k = left.size(1);
            List<Tensor> rights = List.of(
                    b.narrow(0, 0, k).narrow(1, 1, 5),
                    b.t().narrow(0, 0, 5).narrow(1, 0, k).t(),
                    b.slice(0, 0, 2 * k, 2).narrow(1, 0, 3),
                    seeded(7, 1, 3).view(1, 3).expand(k, 3));
            for (Tensor right : rights) {
                assertMatmul(left, right);
                Tensor contiguous = left.contiguous().matmul(right.contiguous());
                float[] got = left.matmul(right).toArray();
                float[] expected = contiguous.toArray();
                for (int i = 0; i < got.length; i++) {
                    assertEquals(expected[i], got[i], 1e-5 * (1 + Math.abs(expected[i])), "element " + i);
                }
            }
        }
    }

    @Test
    void stridedVectorsAndBatches() {
        Tensor m = seeded(8, 1, 5, 3);
        assertMatmul(m.select(1, 1), seeded(9, 1, 5, 2));        // vector with stride 3
        assertMatmul(seeded(9, 1, 2, 5), m.select(1, 2));
        assertMatmul(m.select(1, 0), m.select(1, 2));
        Tensor batch = seeded(10, 1, 3, 4, 5).permute(1, 0, 2);  // [4, 3, 5], batch stride 5
        assertMatmul(batch, seeded(11, 1, 5, 2));
        assertMatmul(batch, seeded(12, 1, 4, 5, 2).transpose(-1, -2).transpose(-1, -2));
        assertMatmul(seeded(13, 1, 4, 5).expand(3, 4, 5), seeded(14, 1, 3, 5, 2));
    }

    @Test
    void emptyInnerDimensionGivesZeros() {
        assertValues(Tensor.zeros(3, 0).matmul(Tensor.zeros(0, 4)), new int[] {3, 4}, new float[12]);
        assertValues(Tensor.zeros(0).matmul(Tensor.zeros(0)), new int[0], 0);
        assertValues(Tensor.zeros(2, 3, 0).matmul(Tensor.ones(0, 2)), new int[] {2, 3, 2}, new float[12]);
        assertShape(Tensor.zeros(0, 5).matmul(Tensor.ones(5, 2)), 0, 2);
        assertShape(Tensor.ones(2, 5).matmul(Tensor.ones(5, 0)), 2, 0);
        assertShape(Tensor.ones(0, 2, 5).matmul(Tensor.ones(5, 3)), 0, 2, 3);
    }

    @Test
    void resultsDoNotAccumulateIntoEachOther() {
        Tensor a = seeded(15, 1, 3, 4);
        Tensor b = seeded(16, 1, 4, 2);
        Tensor first = a.matmul(b);
        Tensor second = a.matmul(b);
        assertValues(second, new int[] {3, 2}, first.toArray());
    }

    @Test
    void innerDimensionMismatchIsNamed() {
        var e = assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(64, 784).matmul(Tensor.zeros(512, 10)));
        assertEquals("matmul: [64, 784] @ [512, 10]: inner dimensions differ (784 vs 512)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(3).matmul(Tensor.zeros(4)));
        assertEquals("matmul: [3] @ [4]: inner dimensions differ (3 vs 4)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(2, 3).matmul(Tensor.zeros(2)));
        assertEquals("matmul: [2, 3] @ [2]: inner dimensions differ (3 vs 2)", e.getMessage());
    }

    @Test
    void otherMatmulErrors() {
        var e = assertThrows(IllegalArgumentException.class, () -> Tensor.scalar(2).matmul(Tensor.zeros(3)));
        assertEquals("matmul: [] @ [3]: both arguments need at least 1 dimension", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Tensor.zeros(2, 4, 5).matmul(Tensor.zeros(3, 5, 6)));
        assertEquals("matmul: [2, 4, 5] @ [3, 5, 6]: batch dimensions cannot broadcast", e.getMessage());
    }
}
