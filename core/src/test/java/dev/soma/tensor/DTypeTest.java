package dev.soma.tensor;

import static dev.soma.testing.TensorAssertions.assertLongs;
import static dev.soma.testing.TensorAssertions.assertValues;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.soma.nn.Embedding;
import dev.soma.nn.Losses;
import dev.soma.nn.Reduction;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Element types: creation, conversion with PyTorch's rounding, promotion, comparisons into bool,
 * integer indices exact beyond 2²⁴, and the errors of ops that take float32 only. Every expected type
 * and value below is what torch 1.13 gives for the same expression (run with {@code /usr/bin/python3}),
 * e.g. {@code (torch.tensor([7, -7]) + 2.5).dtype} is float32.
 */
class DTypeTest {

    private static Tensor longs(long... values) {
        return Tensor.ofLongs(values, values.length);
    }

    @Test
    void creatorsKeepTheirTypeAndValues() {
        assertLongs(longs(1, -2, Long.MAX_VALUE), DType.INT64, new int[] {3}, 1, -2, Long.MAX_VALUE);
        assertEquals(Long.MAX_VALUE, longs(Long.MAX_VALUE).itemLong(), "int64 is exact to 2⁶³ − 1");
        assertLongs(Tensor.ofInts(new int[] {5, -6}, 2, 1), DType.INT32, new int[] {2, 1}, 5, -6);
        assertLongs(Tensor.ofBooleans(new boolean[] {true, false}, 2), DType.BOOL, new int[] {2}, 1, 0);
        assertLongs(Tensor.zeros(DType.UINT8, 2), DType.UINT8, new int[] {2}, 0, 0);
        Tensor d = Tensor.ofDoubles(new double[] {0.1, 1e-300}, 2);
        assertEquals(DType.FLOAT64, d.dtype());
        assertArrayEquals(new double[] {0.1, 1e-300}, d.toDoubleArray());
        assertEquals(DType.FLOAT32, Tensor.zeros(2).dtype());
        assertEquals(DType.INT64, Tensor.zeros(DType.INT64, 2, 3).onesLike().dtype());
        assertLongs(Tensor.zeros(DType.INT32, 2).onesLike(), DType.INT32, new int[] {2}, 1, 1);
    }

    @Test
    void conversionsRoundAsPyTorch() {
        // torch.tensor([2.7, -2.7, 0.5, -0.5]).long() = [2, -2, 0, 0]: truncation toward zero
        assertLongs(Tensor.vector(2.7f, -2.7f, 0.5f, -0.5f).toLong(), DType.INT64, new int[] {4}, 2, -2, 0, 0);
        // torch.tensor([2**31]).int() = [-2147483648]; torch.tensor([-1]).to(torch.uint8) = [255]
        assertLongs(longs(1L << 31).to(DType.INT32), DType.INT32, new int[] {1}, Integer.MIN_VALUE);
        assertLongs(longs(-1).to(DType.UINT8), DType.UINT8, new int[] {1}, 255);
        assertLongs(longs(200).to(DType.INT8), DType.INT8, new int[] {1}, -56);
        // torch.tensor([0, 0.5, nan]).bool() = [False, True, True]
        assertLongs(Tensor.vector(0, 0.5f, Float.NaN).toBool(), DType.BOOL, new int[] {3}, 0, 1, 1);
        assertValues(longs(3, -4).toFloat(), new int[] {2}, 3, -4);
        assertEquals(16777216f, longs(16777217).toFloat().item(), "int64 → float32 rounds to nearest, as a cast");
        assertEquals(0.1f, Tensor.ofDoubles(new double[] {0.1}, 1).toFloat().item());
        Tensor x = Tensor.vector(1, 2);
        assertSame(x, x.toFloat(), "to(its own type) is the tensor itself");
    }

    @Test
    void promotionFollowsPyTorch() {
        Tensor l = longs(7, -7);
        Tensor i = Tensor.ofInts(new int[] {7, -7}, 2);
        Tensor f = Tensor.vector(2, 2);
        Tensor d = Tensor.ofDoubles(new double[] {2, 2}, 2);
        Tensor b = Tensor.ofBooleans(new boolean[] {true, false}, 2);
        assertLongs(l.add(l), DType.INT64, new int[] {2}, 14, -14);
        assertEquals(DType.FLOAT32, l.add(f).dtype());
        assertValues(l.add(2.5f), new int[] {2}, 9.5f, -4.5f);
        assertEquals(DType.FLOAT32, l.add(2.5f).dtype(), "an int tensor plus a float scalar is float32");
        assertEquals(DType.INT64, i.add(l).dtype());
        assertEquals(DType.INT32, i.add(Tensor.ofLongs(new long[] {5})).dtype(), "a rank-0 int64 does not widen int32");
        assertEquals(DType.INT16, Tensor.zeros(DType.UINT8, 2).add(Tensor.zeros(DType.INT8, 2)).dtype());
        assertLongs(b.add(b), DType.BOOL, new int[] {2}, 1, 0);
        assertEquals(DType.FLOAT64, f.add(d).dtype());
        assertEquals(DType.FLOAT64, d.add(2.5f).dtype(), "a float scalar keeps float64");
        assertEquals(DType.FLOAT64, l.add(Tensor.ofDoubles(new double[] {2.5})).dtype());
        assertEquals(DType.FLOAT32, f.add(Tensor.ofLongs(new long[] {3})).dtype());
        // torch.tensor([7, -7]) / torch.tensor([2, 2]) = [3.5, -3.5], float32: true division
        Tensor quotient = l.div(longs(2, 2));
        assertEquals(DType.FLOAT32, quotient.dtype());
        assertValues(quotient, new int[] {2}, 3.5f, -3.5f);
        // int32 overflow wraps: torch.tensor([2**31 - 1], dtype=torch.int32) + 1 = [-2147483648]
        assertLongs(Tensor.ofInts(new int[] {Integer.MAX_VALUE}, 1).add(Tensor.ofInts(new int[] {1}, 1)),
                DType.INT32, new int[] {1}, Integer.MIN_VALUE);
        assertLongs(l.mul(l).sub(longs(1, 1)).neg(), DType.INT64, new int[] {2}, -48, -48);
    }

    @Test
    void comparisonsGiveBoolAndMasksWorkAsInPyTorch() {
        Tensor x = Tensor.vector(1, -2, 3, 0);
        Tensor mask = x.gt(0);
        assertLongs(mask, DType.BOOL, new int[] {4}, 1, 0, 1, 0);
        assertLongs(mask.sum(), DType.INT64, new int[0], 2);
        assertLongs(longs(3, 4, 5).eq(longs(3, 0, 5)), DType.BOOL, new int[] {3}, 1, 0, 1);
        assertLongs(longs(1L << 40, 2).lt(longs((1L << 40) + 1, 2)), DType.BOOL, new int[] {2}, 1, 0);
        assertValues(x.mul(mask), new int[] {4}, 1, 0, 3, 0);
        assertEquals(DType.FLOAT32, x.mul(mask).dtype());
        assertValues(Tensor.where(mask, x, Tensor.scalar(-1)), new int[] {4}, 1, -1, 3, -1);
        assertLongs(Tensor.where(mask, longs(1, 2, 3, 4), longs(0)), DType.INT64, new int[] {4}, 1, 0, 3, 0);
        assertEquals(DType.FLOAT32, mask.toFloat().mean().dtype());
        assertValues(mask.toFloat().mean(), new int[0], 0.5f);
        assertEquals("where: expected a bool condition, got float32 (compare, as x.gt(0), or convert with toBool())",
                assertThrows(IllegalArgumentException.class,
                        () -> Tensor.where(Tensor.vector(1, 0, 1, 0), x, x)).getMessage());
    }

    @Test
    void indicesAreInt64AndExactBeyondTwoToThe24() {
        int n = (1 << 24) + 2;
        Tensor x = Tensor.zeros(n).set(1f, (1 << 24) + 1);
        // As a float, 2²⁴ + 1 rounds to 2²⁴, the wrong element.
        assertEquals(1 << 24, (int) (float) ((1 << 24) + 1));
        assertLongs(x.argmax(), DType.INT64, new int[0], (1 << 24) + 1);
        assertValues(x.indexSelect(0, longs((1 << 24) + 1, 1 << 24)), new int[] {2}, 1, 0);
        assertValues(x.gather(0, longs((1 << 24) + 1)), new int[] {1}, 1);
        Tensor.ValuesAndIndices max = x.view(2, -1).maxWithIndices(1, false);
        assertLongs(max.indices(), DType.INT64, new int[] {2}, 0, 1 << 23);
        assertLongs(Tensor.matrix(new float[][] {{1, 5, 2}, {7, 0, 7}}).argmin(1, true), DType.INT64,
                new int[] {2, 1}, 0, 1);
        assertLongs(longs(3, 9, 9, -1).argmax(), DType.INT64, new int[0], 1);
    }

    @Test
    void randintDrawsInt64() {
        Tensor a = Tensor.randint(new Generator(4), -3, 5, 200);
        assertEquals(DType.INT64, a.dtype());
        for (long v : a.toLongArray()) {
            assertTrue(v >= -3 && v < 5, "in [low, high): " + v);
        }
        assertTrue(a.equal(Tensor.randint(new Generator(4), -3, 5, 200)), "the same seed, the same draws");
    }

    @Test
    void labelsAndIndicesAcceptInt64AndInt32() {
        Tensor logits = Tensor.matrix(new float[][] {{1, 2, 0.5f}, {0, -1, 3}});
        // cross-entropy of row r at class c: logsumexp(row) − row[c]
        double row0 = Math.log(Math.exp(1) + Math.exp(2) + Math.exp(0.5)) - 1;
        double row1 = Math.log(Math.exp(0) + Math.exp(-1) + Math.exp(3)) - 3;
        assertEquals((row0 + row1) / 2, Losses.crossEntropy(logits, longs(0, 2), Reduction.MEAN).item(), 1e-6);
        assertEquals((row0 + row1) / 2,
                Losses.crossEntropy(logits, Tensor.ofInts(new int[] {0, 2}, 2), Reduction.MEAN).item(), 1e-6);
        Tensor weight = Tensor.matrix(new float[][] {{1, 2}, {3, 4}, {5, 6}});
        assertValues(Embedding.embedding(Tensor.ofInts(new int[] {2, 0}, 2), weight, null), new int[] {2, 2}, 5, 6, 1, 2);
        assertValues(Tensor.zeros(3).scatterAdd(0, longs(2, 2, 0), Tensor.vector(1, 2, 3)), new int[] {3}, 3, 0, 3);
        assertValues(Tensor.oneHot(longs(1, 0), 2), new int[] {2, 2}, 0, 1, 1, 0);
        assertLongs(longs(10, 20, 30).indexSelect(0, longs(2, 0)), DType.INT64, new int[] {2}, 30, 10);
        assertLongs(Tensor.cat(List.of(longs(1, 2), longs(3)), 0), DType.INT64, new int[] {3}, 1, 2, 3);
    }

    @Test
    void viewsShareIntegerStorage() {
        Tensor m = Tensor.ofLongs(new long[] {0, 1, 2, 3, 4, 5}, 2, 3);
        assertLongs(m.t(), DType.INT64, new int[] {3, 2}, 0, 3, 1, 4, 2, 5);
        assertLongs(m.t().contiguous().view(6), DType.INT64, new int[] {6}, 0, 3, 1, 4, 2, 5);
        assertLongs(m.narrow(1, 1, 2).reshape(4), DType.INT64, new int[] {4}, 1, 2, 4, 5);
        assertLongs(m.select(0, 1).unsqueeze(0).expand(2, 3), DType.INT64, new int[] {2, 3}, 3, 4, 5, 3, 4, 5);
        Tensor row = m.select(0, 0);
        row.set(9L, 2);
        assertEquals(9, m.getLong(0, 2), "a view writes through to its storage");
        assertLongs(m.sum(1, false), DType.INT64, new int[] {2}, 10, 12);
        assertLongs(m.max(0, true), DType.INT64, new int[] {1, 3}, 3, 4, 9);
        assertTrue(m.equal(m.contiguous()));
        assertFalse(m.equal(m.toFloat()), "equal compares the types too");
    }

    @Test
    void printsIntegersAndBoolsAsPyTorch() {
        assertEquals("tensor([[1, 2],\n        [3, 4]], shape=[2, 2])", Tensor.ofLongs(new long[] {1, 2, 3, 4}, 2, 2).toString());
        assertEquals("tensor([ True, False], shape=[2])", Tensor.ofBooleans(new boolean[] {true, false}, 2).toString());
        assertEquals("tensor([1, 2], shape=[2], dtype=int32)", Tensor.ofInts(new int[] {1, 2}, 2).toString());
        assertEquals("tensor([1.5000], shape=[1], dtype=float64)", Tensor.ofDoubles(new double[] {1.5}, 1).toString());
        assertEquals("tensor(-3)", longs(-3).view().toString());
    }

    @Test
    void float32OnlyOpsNameTheOpAndTheTypes() {
        Tensor l = Tensor.zeros(DType.INT64, 2, 2);
        Tensor f = Tensor.zeros(2, 2);
        assertEquals("matmul: expected float32 tensors, got int64 and float32",
                assertThrows(IllegalArgumentException.class, () -> l.matmul(f)).getMessage());
        assertEquals("mean: expected a floating-point tensor, got int64 (convert with toFloat())",
                assertThrows(IllegalArgumentException.class, l::mean).getMessage());
        assertEquals("exp: not implemented for int64 tensors",
                assertThrows(IllegalArgumentException.class, l::exp).getMessage());
        assertEquals("softmax: expected a floating-point tensor, got bool (convert with toFloat())",
                assertThrows(IllegalArgumentException.class, () -> f.gt(0).softmax(0)).getMessage());
        assertEquals("gather: expected an int64 or int32 index tensor, got float32 (convert with toLong())",
                assertThrows(IllegalArgumentException.class, () -> f.gather(0, f)).getMessage());
        assertEquals("requiresGrad: only floating-point tensors can require gradients, this one is int64",
                assertThrows(IllegalArgumentException.class, () -> l.requiresGrad(true)).getMessage());
        assertEquals("sub: not defined for bool tensors (PyTorch neither: use logical ops, or convert with toLong())",
                assertThrows(IllegalArgumentException.class, () -> f.gt(0).sub(f.gt(0))).getMessage());
        assertEquals("relu: not implemented for int64 tensors",
                assertThrows(IllegalArgumentException.class, l::relu).getMessage());
    }

    @Test
    void subtractionWithABoolTensorIsRefusedAsInPyTorch() {
        // torch.tensor([1]) - torch.tensor([True]) and the reverse, and float - bool: PyTorch refuses them all
        Tensor b = Tensor.ofBooleans(new boolean[] {true, false}, 2);
        Tensor l = longs(3, 4);
        Tensor f = Tensor.vector(3, 4);
        for (Tensor[] pair : new Tensor[][] {{l, b}, {b, l}, {f, b}, {b, f}, {b, Tensor.scalar(1)}}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> pair[0].sub(pair[1]),
                    pair[0].dtype() + " - " + pair[1].dtype());
            assertTrue(e.getMessage().startsWith("sub: not defined for bool tensors"), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> b.rsub(1f), "1 - bool");
        assertLongs(l.add(b), DType.INT64, new int[] {2}, 4, 4); // addition is defined: torch gives [4, 4]
    }
}
