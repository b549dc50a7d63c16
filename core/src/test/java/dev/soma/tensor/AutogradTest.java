package dev.soma.tensor;

import static dev.soma.testing.TensorAssertions.assertShape;
import static dev.soma.testing.TensorAssertions.assertValues;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class AutogradTest {

    private static Tensor leaf(float... values) {
        return Tensor.vector(values).requiresGrad(true);
    }

    @Test
    void microgradGoldenExample() {
        // micrograd's test_more_ops: g = 24.7041, dg/da = 138.8338, dg/db = 645.5773.
        Tensor a = Tensor.scalar(-4).requiresGrad(true);
        Tensor b = Tensor.scalar(2).requiresGrad(true);
        Tensor c = a.add(b);
        Tensor d = a.mul(b).add(b.pow(3));
        c = c.add(c.add(1));
        c = c.add(Tensor.scalar(1).add(c).add(a.neg()));
        d = d.add(d.mul(2).add(b.add(a).relu()));
        d = d.add(Tensor.scalar(3).mul(d).add(b.sub(a).relu()));
        Tensor e = c.sub(d);
        Tensor f = e.pow(2);
        Tensor g = f.div(2.0f);
        g = g.add(Tensor.scalar(10.0f).div(f));
        g.backward();
        assertEquals(24.7041, g.item(), 1e-4 * 24.7041);
        assertEquals(138.8338, a.grad().item(), 1e-4 * 138.8338);
        assertEquals(645.5773, b.grad().item(), 1e-4 * 645.5773);
        assertShape(a.grad(), new int[0]);
    }

    @Test
    void microgradSanityCheck() {
        // micrograd's test_sanity_check: y = 8.0 ... x = -4, dy/dx = 46.
        Tensor x = Tensor.scalar(-4).requiresGrad(true);
        Tensor z = x.mul(2).add(2).add(x);
        Tensor q = z.relu().add(z.mul(x));
        Tensor h = z.mul(z).relu();
        Tensor y = h.add(q).add(q.mul(x));
        y.backward();
        assertEquals(-20f, y.item());
        assertEquals(46f, x.grad().item());
    }

    @Test
    void gradientsAccumulateAcrossBackwardCalls() {
        Tensor x = leaf(3, -1);
        x.mul(x).sum().backward();
        assertValues(x.grad(), new int[] {2}, 6, -2);
        x.mul(x).sum().backward();
        assertValues(x.grad(), new int[] {2}, 12, -4);
        Tensor grad = x.grad();
        x.zeroGrad();
        assertSame(grad, x.grad());
        assertValues(x.grad(), new int[] {2}, 0, 0);
        x.mul(5).sum().backward();
        assertValues(x.grad(), new int[] {2}, 5, 5);
        x.clearGrad();
        assertNull(x.grad());
        x.zeroGrad();
        assertNull(x.grad());
    }

    @Test
    void leavesWithoutRequiresGradGetNoGradient() {
        Tensor x = leaf(1, 2);
        Tensor w = Tensor.vector(3, 4);
        x.mul(w).sum().backward();
        assertValues(x.grad(), new int[] {2}, 3, 4);
        assertNull(w.grad());
    }

    @Test
    void detachStopsTheGradient() {
        Tensor x = leaf(2, 3);
        Tensor detached = x.detach();
        assertFalse(detached.requiresGrad());
        assertTrue(detached.isLeaf());
        x.mul(detached).sum().backward();
        assertValues(x.grad(), new int[] {2}, 2, 3);   // not 2x
        assertNull(detached.mul(10).gradFnName());
        Tensor shared = x.detach();
        try (var scope = NoGrad.enter()) {
            x.set(7, 0);
        }
        assertEquals(7f, shared.get(0));
    }

    @Test
    void noGradScopesNestAndRestore() {
        Tensor x = leaf(1, 2);
        assertTrue(NoGrad.isGradEnabled());
        try (var outer = NoGrad.enter()) {
            assertFalse(NoGrad.isGradEnabled());
            Tensor y = x.mul(2);
            assertFalse(y.requiresGrad());
            assertNull(y.gradFnName());
            try (var inner = NoGrad.enter()) {
                assertFalse(NoGrad.isGradEnabled());
            }
            assertFalse(NoGrad.isGradEnabled());
            outer.close();
            assertTrue(NoGrad.isGradEnabled());
            outer.close();                              // closing twice changes nothing
            assertTrue(NoGrad.isGradEnabled());
        }
        assertTrue(NoGrad.isGradEnabled());
        assertEquals("mul", x.mul(2).gradFnName());
    }

    @Test
    void noGradIsPerThread() throws InterruptedException {
        AtomicBoolean otherThread = new AtomicBoolean();
        try (var scope = NoGrad.enter()) {
            Thread thread = new Thread(() -> otherThread.set(NoGrad.isGradEnabled()));
            thread.start();
            thread.join();
        }
        assertTrue(otherThread.get());
    }

    @Test
    void backwardNeedsAScalarOrAGradient() {
        Tensor y = leaf(1, 2).mul(2);
        var e = assertThrows(IllegalStateException.class, y::backward);
        assertEquals("backward: grad can be implicitly created only for a tensor with one element,"
                + " this one has shape [2]; pass a gradient", e.getMessage());
        var shape = assertThrows(IllegalArgumentException.class, () -> y.backward(Tensor.ones(3)));
        assertEquals("backward: gradient shape [3] does not match tensor shape [2]", shape.getMessage());
        var none = assertThrows(IllegalStateException.class, () -> Tensor.vector(1).sum().backward());
        assertEquals("backward: the tensor does not require grad and has no graph"
                + " (set requiresGrad on a leaf it depends on, outside a NoGrad scope)", none.getMessage());
    }

    @Test
    void backwardWithAnExplicitGradient() {
        Tensor x = leaf(1, 2, 3);
        Tensor y = x.mul(x);
        y.backward(Tensor.vector(1, 0.5f, -1));
        assertValues(x.grad(), new int[] {3}, 2, 2, -6);
    }

    @Test
    void backwardFromALeaf() {
        Tensor x = Tensor.scalar(5).requiresGrad(true);
        x.backward();
        assertEquals(1f, x.grad().item());
    }

    @Test
    void aReleasedGraphCannotBeWalkedTwice() {
        Tensor x = leaf(1, 2);
        Tensor y = x.mul(3).sum();
        y.backward();
        var e = assertThrows(IllegalStateException.class, y::backward);
        assertEquals("backward: the graph through 'sum' was already released by an earlier backward();"
                + " pass retainGraph = true to the first backward to go through it twice", e.getMessage());
    }

    @Test
    void aRetainedGraphCanBeWalkedTwice() {
        Tensor x = leaf(1, 2);
        Tensor y = x.mul(x).sum();
        y.backward(Tensor.scalar(1), true);
        y.backward();
        assertValues(x.grad(), new int[] {2}, 4, 8);
    }

    @Test
    void broadcastGradientsAreSummedToTheInputShape() {
        Tensor a = Tensor.vector(1, 2, 3).view(3, 1).detach().requiresGrad(true);
        Tensor b = Tensor.vector(10, 20, 30, 40).view(1, 4).detach().requiresGrad(true);
        a.mul(b).sum().backward();
        assertValues(a.grad(), new int[] {3, 1}, 100, 100, 100);
        assertValues(b.grad(), new int[] {1, 4}, 6, 6, 6, 6);
        Tensor v = leaf(1, 2, 3, 4);
        Tensor big = Tensor.ones(2, 3, 4).requiresGrad(true);
        v.add(big).sum().backward();
        assertValues(v.grad(), new int[] {4}, 6, 6, 6, 6);
        assertShape(big.grad(), 2, 3, 4);
        Tensor s = Tensor.scalar(2).requiresGrad(true);
        s.mul(Tensor.ones(2, 3)).sum().backward();
        assertShape(s.grad(), new int[0]);
        assertEquals(6f, s.grad().item());
    }

    @Test
    void aTensorUsedTwiceAccumulates() {
        Tensor x = leaf(2, 5);
        x.add(x).add(x).sum().backward();
        assertValues(x.grad(), new int[] {2}, 3, 3);
        Tensor y = leaf(3);
        Tensor h = y.mul(2);
        h.mul(h).sum().backward();                  // (2y)² → 8y
        assertValues(y.grad(), new int[] {1}, 24);
    }

    /**
     * A leaf keeps the gradient array a backward rule hands over (no copy): a weight used twice, a
     * second backward, and a retained non-leaf gradient must still add up as if it were copied.
     */
    @Test
    void handedOverGradientsAreKeptWithoutAliasing() {
        Generator generator = new Generator(3);
        Tensor x = Tensor.randn(generator, 5, 4);
        Tensor w = Tensor.randn(generator, 4, 4).requiresGrad(true);
        Tensor w1 = w.detach().requiresGrad(true);
        Tensor w2 = w.detach().requiresGrad(true);
        Fused.linear(Fused.linear(x, w1, null), w2, null).sum().backward();
        Fused.linear(Fused.linear(x, w, null), w, null).sum().backward(); // w's two gradients meet in one array
        float[] expected = w1.grad().add(w2.grad()).toArray();
        assertArrayEquals(expected, w.grad().toArray());
        float[] once = w.grad().toArray();
        Fused.linear(Fused.linear(x, w, null), w, null).sum().backward(); // accumulates in place, twice
        for (int i = 0; i < once.length; i++) {
            assertEquals(once[i] + once[i], w.grad().toArray()[i], 1e-5f * Math.abs(once[i]));
        }
        // a retained hidden gradient is taken from the rule too; the weight below it must not see that
        Tensor v = Tensor.randn(generator, 3, 4).requiresGrad(true);
        Tensor h = Fused.linear(x, w1.detach().requiresGrad(true), null);
        h.retainGrad();
        Fused.linear(h, v, null).sum().backward();
        Tensor vPlain = v.detach().requiresGrad(true);
        Tensor wPlain = w1.detach().requiresGrad(true);
        Fused.linear(Fused.linear(x, wPlain, null), vPlain, null).sum().backward();
        float[] hExpected = Tensor.ones(5, 3).matmul(vPlain.detach()).toArray(); // ∂Σ(h·vᵀ)/∂h = 1·v
        for (int i = 0; i < hExpected.length; i++) {
            assertEquals(hExpected[i], h.grad().toArray()[i], 1e-6f * (1 + Math.abs(hExpected[i])));
        }
        assertArrayEquals(vPlain.grad().toArray(), v.grad().toArray());
        // a gradient not handed over (add gives both inputs the same tensor) is copied into each leaf
        Tensor a = Tensor.ones(3).requiresGrad(true);
        Tensor b = Tensor.ones(3).requiresGrad(true);
        a.add(b).sum().backward();
        a.grad().fill(5);
        assertArrayEquals(new float[] {1, 1, 1}, b.grad().toArray());
    }

    @Test
    void retainGradKeepsANonLeafGradient() {
        Tensor x = leaf(1, 2);
        Tensor h = x.mul(3).retainGrad();
        Tensor other = x.mul(4);
        h.mul(h).add(other).sum().backward();
        assertValues(h.grad(), new int[] {2}, 6, 12);    // 2h
        assertNull(other.grad());
        assertValues(x.grad(), new int[] {2}, 22, 40);   // 18x + 4
        assertFalse(h.isLeaf());
        assertTrue(x.isLeaf());
    }

    @Test
    void inPlaceChangesToALeafThatRequiresGradNeedNoGrad() {
        Tensor x = leaf(1, 2);
        var e = assertThrows(IllegalStateException.class, () -> x.set(5, 0));
        assertEquals("set: cannot modify a tensor that requires grad in place while gradients are recorded;"
                + " use a NoGrad scope (as optimizers do) or detach()", e.getMessage());
        e = assertThrows(IllegalStateException.class, () -> x.fill(0));
        assertTrue(e.getMessage().startsWith("fill: cannot modify a tensor that requires grad"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> x.addInPlace(Tensor.ones(2), 1));
        assertThrows(IllegalStateException.class, () -> x.mulInPlace(2));
        assertThrows(IllegalStateException.class, () -> x.fillNormal(0, 1, new Generator(1)));
        assertValues(x, new int[] {2}, 1, 2);
        try (var scope = NoGrad.enter()) {
            x.set(5, 0);
            x.addInPlace(Tensor.ones(2), 0.5f);
            x.mulInPlace(2);
        }
        assertValues(x, new int[] {2}, 11, 5);
        assertTrue(x.requiresGrad());
    }

    @Test
    void requiresGradCannotBeTurnedOffOnANonLeaf() {
        Tensor y = leaf(1).mul(2);
        var e = assertThrows(IllegalStateException.class, () -> y.requiresGrad(false));
        assertEquals("requiresGrad: 'mul' made this tensor from tensors that require grad;"
                + " use detach() for a tensor without a graph", e.getMessage());
        Tensor x = leaf(1).requiresGrad(false);
        assertFalse(x.requiresGrad());
    }

    @Test
    void aLongChainBackpropagatesWithoutStackOverflow() {
        Tensor x = Tensor.scalar(1).requiresGrad(true);
        Tensor y = x;
        for (int i = 0; i < 20_000; i++) {
            y = y.add(1).mul(1);
        }
        y.backward();
        assertEquals(20_001f, y.item());
        assertEquals(1f, x.grad().item());
    }

    @Test
    void gradFnNamesTheOp() {
        Tensor x = leaf(1, 2, 3, 4);
        assertNull(x.gradFnName());
        assertEquals("mul", x.mul(2).gradFnName());
        assertEquals("add", x.add(1).gradFnName());
        assertEquals("sum", x.sum().gradFnName());
        assertEquals("exp", x.exp().gradFnName());
        assertEquals("view", x.view(2, 2).gradFnName());
        assertEquals("permute", x.view(2, 2).t().gradFnName());
        assertEquals("matmul", x.view(2, 2).matmul(x.view(2, 2)).gradFnName());
        assertEquals("relu", x.relu().gradFnName());
        assertEquals("cat", Tensor.cat(List.of(x, x), 0).gradFnName());
        assertNull(Tensor.vector(1).mul(2).gradFnName());
        assertNotNull(x.sigmoid().gradFnName());
    }

    @Test
    void gradientsAreNotRecordedForGradients() {
        Tensor x = leaf(1, 2);
        x.mul(x).sum().backward();
        assertFalse(x.grad().requiresGrad());
        assertNull(x.grad().gradFnName());
    }
}
