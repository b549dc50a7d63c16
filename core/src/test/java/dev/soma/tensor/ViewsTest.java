package dev.soma.tensor;

import static dev.soma.testing.TensorAssertions.assertShape;
import static dev.soma.testing.TensorAssertions.assertValues;
import static dev.soma.testing.TensorAssertions.indices;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class ViewsTest {

    /** {@code arange(24).view(2, 3, 4)}: element (i, j, k) holds 12i + 4j + k. */
    private static Tensor base() {
        return Tensor.arange(24).view(2, 3, 4);
    }

    /**
     * Checks that {@code view} is a view of {@code base}: element {@code v} of the view is element
     * {@code toBase(v)} of the base, in {@code get}, in {@code toArray} (row-major), and for writes:
     * a {@code set} through the view is seen in the base, and the reverse.
     */
    private static void assertViewOf(Tensor view, Tensor base, UnaryOperator<int[]> toBase) {
        List<int[]> all = indices(view.shape());
        float[] rowMajor = view.toArray();
        assertEquals(all.size(), rowMajor.length);
        for (int i = 0; i < all.size(); i++) {
            int[] v = all.get(i);
            float expected = base.get(toBase.apply(v));
            assertEquals(expected, view.get(v), "view element " + Arrays.toString(v));
            assertEquals(expected, rowMajor[i], "toArray element " + i);
        }
        if (!all.isEmpty()) {
            int[] last = all.getLast();
            int[] target = toBase.apply(last);
            float old = base.get(target);
            view.set(-99, last);
            assertEquals(-99f, base.get(target), "a set through the view reaches the base");
            base.set(-42, target);
            assertEquals(-42f, view.get(last), "a set in the base is seen through the view");
            base.set(old, target);
        }
    }

    // ---------------------------------------------------------------- view and reshape

    @Test
    void viewInfersMinusOneAndSharesStorage() {
        Tensor flat = Tensor.arange(24);
        Tensor v = flat.view(2, -1, 4);
        assertShape(v, 2, 3, 4);
        assertArrayEquals(new int[] {12, 4, 1}, v.strides());
        assertViewOf(v, flat, i -> new int[] {12 * i[0] + 4 * i[1] + i[2]});
        assertShape(flat.view(-1), 24);
        assertShape(flat.view(4, 6).view(-1, 2, 3), 4, 2, 3);
        assertShape(Tensor.zeros(0, 3).view(3, 0), 3, 0);
        assertShape(Tensor.scalar(1).view(1, 1), 1, 1);
        assertShape(Tensor.zeros(1, 1).view(), new int[0]);
    }

    @Test
    void viewAndReshapeRejectImpossibleShapes() {
        Tensor x = Tensor.zeros(2, 3);
        var e = assertThrows(IllegalArgumentException.class, () -> x.view(4, -1));
        assertEquals("view: shape [4, -1] is invalid for input of shape [2, 3] (6 elements)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> x.reshape(4, 2));
        assertEquals("reshape: shape [4, 2] is invalid for input of shape [2, 3] (6 elements)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> x.view(-1, -1));
        assertEquals("view: invalid shape [-1, -1] (only one size may be -1, others must be ≥ 0)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> x.reshape(-2, 3));
        assertEquals("reshape: invalid shape [-2, 3] (only one size may be -1, others must be ≥ 0)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(0, 3).reshape(0, -1));
        assertEquals("reshape: shape [0, -1] is invalid for input of shape [0, 3] (0 elements)", e.getMessage());
    }

    @Test
    void viewOfANonContiguousTensorFails() {
        var e = assertThrows(IllegalStateException.class, () -> Tensor.zeros(2, 3).t().view(6));
        assertEquals("view: the tensor of shape [3, 2] with strides [1, 3] is not contiguous;"
                + " use reshape() or contiguous().view()", e.getMessage());
    }

    @Test
    void reshapeSharesWhenContiguousAndCopiesOtherwise() {
        Tensor x = base();
        Tensor same = x.reshape(6, 4);
        assertViewOf(same, x, i -> new int[] {i[0] / 3, i[0] % 3, i[1]});
        Tensor t = x.transpose(1, 2);                       // [2, 4, 3]
        Tensor copy = t.reshape(8, 3);
        assertValues(copy, new int[] {8, 3}, t.toArray());
        assertEquals(0f, copy.get(0, 0));
        assertEquals(4f, copy.get(0, 1));
        copy.set(77, 0, 1);
        assertEquals(4f, x.get(0, 1, 0));
        assertValues(x.reshape(24), new int[] {24}, Tensor.arange(24).toArray());
    }

    // ---------------------------------------------------------------- permutations

    @Test
    void permuteReordersDimensionsAndStrides() {
        Tensor x = base();
        Tensor p = x.permute(2, 0, 1);
        assertShape(p, 4, 2, 3);
        assertArrayEquals(new int[] {1, 12, 4}, p.strides());
        assertViewOf(p, x, i -> new int[] {i[1], i[2], i[0]});
        assertViewOf(x.permute(-1, -2, -3), x, i -> new int[] {i[2], i[1], i[0]});
        assertFalse(p.isContiguous());
    }

    @Test
    void transposeSwapsTwoDimensions() {
        Tensor x = base();
        Tensor t = x.transpose(0, 2);
        assertShape(t, 4, 3, 2);
        assertArrayEquals(new int[] {1, 4, 12}, t.strides());
        assertViewOf(t, x, i -> new int[] {i[2], i[1], i[0]});
        assertViewOf(x.transpose(-1, -2), x, i -> new int[] {i[0], i[2], i[1]});
        assertShape(Tensor.scalar(1).transpose(0, -1), new int[0]);
    }

    @Test
    void tTransposesMatricesOnly() {
        Tensor m = Tensor.arange(6).view(2, 3);
        assertViewOf(m.t(), m, i -> new int[] {i[1], i[0]});
        assertArrayEquals(new int[] {1, 3}, m.t().strides());
        Tensor v = Tensor.arange(3);
        assertSame(v, v.t());
        var e = assertThrows(IllegalArgumentException.class, () -> base().t());
        assertEquals("t: expects a tensor of rank ≤ 2, got [2, 3, 4]", e.getMessage());
    }

    @Test
    void permuteRejectsBadOrders() {
        var e = assertThrows(IllegalArgumentException.class, () -> base().permute(0, 1));
        assertEquals("permute: [0, 1] has 2 dims, the tensor of shape [2, 3, 4] has 3", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> base().permute(0, -3, 1));
        assertEquals("permute: dim -3 repeats in [0, -3, 1]", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> base().permute(0, 1, 3));
        assertEquals("permute: dim 3 is out of range for a tensor of rank 3 (expected -3 to 2)", e.getMessage());
    }

    // ---------------------------------------------------------------- narrow, slice, select

    @Test
    void narrowTakesARangeAndAcceptsNegativeStarts() {
        Tensor x = Tensor.arange(10);
        assertValues(x.narrow(0, 2, 3), new int[] {3}, 2, 3, 4);
        assertValues(x.narrow(0, -3, 2), new int[] {2}, 7, 8);   // PyTorch: start -3 is 7
        assertValues(x.narrow(-1, -3, 3), new int[] {3}, 7, 8, 9);
        assertValues(x.narrow(0, 10, 0), new int[] {0});
        Tensor b = base();
        Tensor n = b.narrow(1, 1, 2);
        assertShape(n, 2, 2, 4);
        assertArrayEquals(new int[] {12, 4, 1}, n.strides());
        assertViewOf(n, b, i -> new int[] {i[0], i[1] + 1, i[2]});
    }

    @Test
    void narrowRejectsRangesOutside() {
        Tensor x = Tensor.arange(4);
        var e = assertThrows(IndexOutOfBoundsException.class, () -> x.narrow(0, 2, 3));
        assertEquals("narrow: positions [2, 5) are out of range for dim 0 of size 4 in shape [4]", e.getMessage());
        assertThrows(IndexOutOfBoundsException.class, () -> x.narrow(0, -5, 1));
        assertThrows(IndexOutOfBoundsException.class, () -> x.narrow(0, 1, -1));
        assertThrows(IllegalArgumentException.class, () -> Tensor.scalar(1).narrow(0, 0, 1));
    }

    @Test
    void sliceFollowsPythonRules() {
        Tensor x = Tensor.arange(10);
        assertValues(x.slice(0, 1, 8, 3), new int[] {3}, 1, 4, 7);
        assertValues(x.slice(0, -7, -1, 3), new int[] {2}, 3, 6);
        assertValues(x.slice(0, 2, 100, 4), new int[] {2}, 2, 6);
        assertValues(x.slice(0, -100, 3, 1), new int[] {3}, 0, 1, 2);
        assertValues(x.slice(0, 5, 2, 1), new int[] {0});
        assertValues(x.slice(0, 9, 10, 5), new int[] {1}, 9);
        var e = assertThrows(IllegalArgumentException.class, () -> x.slice(0, 0, 5, 0));
        assertEquals("slice: step must be > 0, got 0", e.getMessage());
    }

    @Test
    void slicesWithStepsAreStridedViews() {
        Tensor b = base();
        Tensor s = b.slice(2, 1, 4, 2);
        assertShape(s, 2, 3, 2);
        assertArrayEquals(new int[] {12, 4, 2}, s.strides());
        assertViewOf(s, b, i -> new int[] {i[0], i[1], 1 + 2 * i[2]});
        Tensor twice = s.slice(1, -2, 3, 1).slice(0, 1, 2, 1);
        assertShape(twice, 1, 2, 2);
        assertViewOf(twice, b, i -> new int[] {1, i[1] + 1, 1 + 2 * i[2]});
    }

    @Test
    void selectRemovesTheDimension() {
        Tensor m = Tensor.arange(12).view(3, 4);
        Tensor row = m.select(0, 1);
        assertValues(row, new int[] {4}, 4, 5, 6, 7);
        assertViewOf(row, m, i -> new int[] {1, i[0]});
        Tensor column = m.select(1, -1);
        assertArrayEquals(new int[] {4}, column.strides());
        assertViewOf(column, m, i -> new int[] {i[0], 3});
        Tensor b = base();
        assertViewOf(b.select(2, 0).select(0, 1), b, i -> new int[] {1, i[0], 0});
        assertEquals(7f, m.select(0, 1).select(0, 3).item());
    }

    @Test
    void selectRejectsIndicesOutside() {
        Tensor m = Tensor.arange(12).view(3, 4);
        var e = assertThrows(IndexOutOfBoundsException.class, () -> m.select(0, 3));
        assertEquals("select: index 3 is out of range for dim 0 of size 3 in shape [3, 4]", e.getMessage());
        e = assertThrows(IndexOutOfBoundsException.class, () -> m.select(1, -5));
        assertEquals("select: index -5 is out of range for dim 1 of size 4 in shape [3, 4]", e.getMessage());
        var rank0 = assertThrows(IllegalArgumentException.class, () -> Tensor.scalar(1).select(0, 0));
        assertEquals("select: cannot select from a rank-0 tensor", rank0.getMessage());
    }

    // ---------------------------------------------------------------- expand

    @Test
    void expandRepeatsWithStrideZero() {
        Tensor column = Tensor.vector(1, 2, 3).view(3, 1);
        Tensor e = column.expand(3, 4);
        assertArrayEquals(new int[] {1, 0}, e.strides());
        assertValues(e, new int[] {3, 4}, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3);
        column.set(20, 1, 0);
        assertValues(e.select(0, 1), new int[] {4}, 20, 20, 20, 20);
        Tensor lead = Tensor.vector(1, 2).expand(3, -1);
        assertShape(lead, 3, 2);
        assertArrayEquals(new int[] {0, 1}, lead.strides());
        assertValues(lead, new int[] {3, 2}, 1, 2, 1, 2, 1, 2);
        assertFalse(lead.isContiguous());
        assertShape(Tensor.scalar(5).expand(2, 2), 2, 2);
        assertShape(Tensor.zeros(1, 3).expand(0, 3), 0, 3);
        Tensor same = Tensor.zeros(2, 3);
        assertSame(same, same.expand(2, 3));
        assertSame(same, same.expand(-1, -1));
    }

    @Test
    void expandRejectsNonSingletonChanges() {
        var e = assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(2, 3).expand(4, 3));
        assertEquals("expand: shape [2, 3] cannot expand to [4, 3] (dim 0: 2 vs 4; only size-1 dims expand)",
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(2, 3).expand(3));
        assertEquals("expand: cannot expand shape [2, 3] to fewer dimensions [3]", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(3).expand(-1, 3));
        assertEquals("expand: size -1 is not allowed in a new leading dim, [3] to [-1, 3]", e.getMessage());
    }

    // ---------------------------------------------------------------- squeeze, unsqueeze, flatten

    @Test
    void squeezeRemovesSizeOneDimensions() {
        Tensor x = Tensor.arange(6).view(1, 3, 1, 2);
        assertShape(x.squeeze(), 3, 2);
        assertArrayEquals(new int[] {2, 1}, x.squeeze().strides());
        assertShape(x.squeeze(0), 3, 1, 2);
        assertShape(x.squeeze(-2), 1, 3, 2);
        assertSame(x, x.squeeze(1));
        assertViewOf(x.squeeze(), x, i -> new int[] {0, i[0], 0, i[1]});
        assertShape(Tensor.zeros(1, 1).squeeze(), new int[0]);
        var e = assertThrows(IllegalArgumentException.class, () -> x.squeeze(4));
        assertEquals("squeeze: dim 4 is out of range for a tensor of rank 4 (expected -4 to 3)", e.getMessage());
    }

    @Test
    void unsqueezeInsertsASizeOneDimension() {
        Tensor m = Tensor.arange(6).view(2, 3);
        assertShape(m.unsqueeze(0), 1, 2, 3);
        assertShape(m.unsqueeze(1), 2, 1, 3);
        assertArrayEquals(new int[] {3, 3, 1}, m.unsqueeze(1).strides());
        assertShape(m.unsqueeze(-1), 2, 3, 1);
        assertArrayEquals(new int[] {3, 1, 1}, m.unsqueeze(-1).strides());
        assertShape(m.unsqueeze(-3), 1, 2, 3);
        assertShape(Tensor.scalar(1).unsqueeze(0), 1);
        assertViewOf(m.unsqueeze(1), m, i -> new int[] {i[0], i[2]});
        assertTrue(m.unsqueeze(2).isContiguous());
        var e = assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(3).unsqueeze(2));
        assertEquals("unsqueeze: dim 2 is out of range for a tensor of rank 1 (expected -2 to 1)", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(3).unsqueeze(-3));
    }

    @Test
    void flattenMergesARangeOfDimensions() {
        Tensor x = base();
        assertShape(x.flatten(1, 2), 2, 12);
        assertShape(x.flatten(0, 1), 6, 4);
        assertShape(x.flatten(0, -1), 24);
        assertShape(x.flatten(-1, -1), 2, 3, 4);
        assertShape(x.flatten(), 24);
        assertShape(Tensor.scalar(3).flatten(0, 0), 1);
        assertShape(Tensor.scalar(3).flatten(), 1);
        assertViewOf(x.flatten(1, 2), x, i -> new int[] {i[0], i[1] / 4, i[1] % 4});
        Tensor t = x.transpose(0, 2);
        assertValues(t.flatten(), new int[] {24}, t.toArray());
        var e = assertThrows(IllegalArgumentException.class, () -> x.flatten(2, 1));
        assertEquals("flatten: startDim 2 comes after endDim 1", e.getMessage());
    }

    // ---------------------------------------------------------------- contiguity

    @Test
    void contiguousCopiesOnlyWhenNeeded() {
        Tensor x = base();
        assertSame(x, x.contiguous());
        Tensor t = x.transpose(0, 1);
        Tensor c = t.contiguous();
        assertNotSame(t, c);
        assertTrue(c.isContiguous());
        assertArrayEquals(new int[] {8, 4, 1}, c.strides());
        assertValues(c, new int[] {3, 2, 4}, t.toArray());
        c.set(-1, 0, 0, 0);
        assertEquals(0f, x.get(0, 0, 0));
    }

    @Test
    void isContiguousFollowsTheStrides() {
        Tensor m = Tensor.arange(12).view(3, 4);
        assertTrue(m.isContiguous());
        assertFalse(m.t().isContiguous());
        assertFalse(m.narrow(1, 0, 2).isContiguous());
        assertTrue(m.narrow(0, 1, 2).isContiguous());
        assertTrue(m.select(0, 2).isContiguous());
        assertFalse(m.select(1, 2).isContiguous());
        assertFalse(m.slice(0, 0, 3, 2).isContiguous());
        assertTrue(m.view(3, 1, 4).isContiguous());
        assertTrue(m.narrow(0, 1, 1).t().isContiguous());
        assertFalse(Tensor.zeros(1).expand(3).isContiguous());
        assertTrue(Tensor.scalar(1).isContiguous());
    }

    @Test
    void fillThroughAViewWritesTheBase() {
        Tensor m = Tensor.zeros(3, 4);
        m.slice(1, 0, 4, 2).fill(7);
        m.select(0, 2).fill(1);
        assertValues(m, new int[] {3, 4}, 7, 0, 7, 0, 7, 0, 7, 0, 1, 1, 1, 1);
        m.t().narrow(0, 1, 1).fill(5);
        assertValues(m, new int[] {3, 4}, 7, 5, 7, 0, 7, 5, 7, 0, 1, 5, 1, 1);
    }

    @Test
    void opsOnViewsReadTheViewedElements() {
        Tensor x = base();
        Tensor view = x.permute(1, 2, 0).slice(1, 1, 4, 2);   // [3, 2, 2]
        Tensor sum = view.add(view.contiguous());
        assertValues(sum, new int[] {3, 2, 2}, view.contiguous().mul(2).toArray());
        assertEquals(view.contiguous().sum().item(), view.sum().item());
    }
}
