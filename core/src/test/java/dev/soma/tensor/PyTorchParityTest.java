package dev.soma.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The small conveniences a PyTorch user reaches for, each against the numbers PyTorch 1.13 printed for
 * the same expression on x = [[1, −2, 3], [0.5, 4, −1]] (values, and the gradient of their sum).
 */
class PyTorchParityTest {

    private static Tensor x() {
        return Tensor.of(new float[] {1, -2, 3, 0.5f, 4, -1}, 2, 3).requiresGrad(true);
    }

    /** {@code op(x)} and the gradient of its sum with respect to x. */
    private static void check(UnaryOperator<Tensor> op, float[] values, float[] gradient) {
        Tensor x = x();
        Tensor y = op.apply(x);
        assertArrayEquals(values, y.toArray(), 1e-7f);
        y.sum().backward();
        assertArrayEquals(gradient, x.grad().toArray(), 1e-7f);
    }

    @Test
    void reductionsKeepTheirDimensionOnRequest() {
        Tensor x = x();
        assertArrayEquals(new int[] {2, 1}, x.sum(1, true).shape());
        assertArrayEquals(new float[] {2, 3.5f}, x.sum(1, true).toArray());
        assertArrayEquals(new float[] {0.75f, 1, 1}, x.mean(0, true).toArray());
        assertArrayEquals(new int[] {1, 3}, x.mean(0, true).shape());
        assertArrayEquals(new float[] {3, 4}, x.max(1, true).toArray());
        assertArrayEquals(new float[] {0.5f, -2, -1}, x.min(0, true).toArray());
        assertArrayEquals(new int[] {2}, x.max(1, false).shape());
    }

    @Test
    void maxAndMinAlongADimensionGiveValuesAndIndices() {
        Tensor.ValuesAndIndices max = x().maxWithIndices(1, false);
        assertArrayEquals(new float[] {3, 4}, max.values().toArray());
        assertArrayEquals(new float[] {2, 1}, max.indices().toArray());
        Tensor.ValuesAndIndices min = x().minWithIndices(0, true);
        assertArrayEquals(new int[] {1, 3}, min.values().shape());
        assertArrayEquals(new float[] {0.5f, -2, -1}, min.values().toArray());
        assertArrayEquals(new float[] {1, 0, 1}, min.indices().toArray());
    }

    @Test
    void scalarComparisons() {
        Tensor x = x();
        assertArrayEquals(new float[] {1, 0, 1, 0, 1, 0}, x.ge(1).toArray());
        assertArrayEquals(new float[] {0, 1, 0, 1, 0, 1}, x.le(0.5f).toArray());
        assertArrayEquals(new float[] {1, 1, 1, 1, 0, 1}, x.ne(4).toArray());
    }

    @Test
    void clampWithOneBoundOrTensorBounds() {
        check(x -> x.clampMin(0), new float[] {1, 0, 3, 0.5f, 4, 0}, new float[] {1, 0, 1, 1, 1, 0});
        check(x -> x.clampMax(1), new float[] {1, -2, 1, 0.5f, 1, -1}, new float[] {1, 1, 0, 1, 0, 1});
        Tensor low = Tensor.zeros(3);
        Tensor high = Tensor.of(new float[] {1, 2, 2.5f}, 3);
        check(x -> x.clamp(low, high), new float[] {1, 0, 2.5f, 0.5f, 2, 0}, new float[] {1, 0, 0, 1, 0, 0});
    }

    @Test
    void reverseSubtractionAndDivision() {
        check(x -> x.rsub(1), new float[] {0, 3, -2, 0.5f, -3, 2}, new float[] {-1, -1, -1, -1, -1, -1});
        check(x -> x.rdiv(1), new float[] {1, -0.5f, 1 / 3f, 2, 0.25f, -1},
                new float[] {-1, -0.25f, -1 / 9f, -4, -0.0625f, -1});
    }

    @Test
    void aGradientCanBeAssignedAsInPyTorch() {
        Tensor p = Tensor.zeros(2, 3).requiresGrad(true);
        Tensor g = Tensor.ones(2, 3);
        p.setGrad(g);
        assertArrayEquals(g.toArray(), p.grad().toArray());
        p.mul(2f).sum().backward();
        assertArrayEquals(new float[] {3, 3, 3, 3, 3, 3}, p.grad().toArray(), "backward accumulates into it");
        p.setGrad(null);
        assertNull(p.grad());
        assertEquals("setGrad: the gradient has shape [3], the tensor [2, 3]",
                assertThrows(IllegalArgumentException.class, () -> p.setGrad(Tensor.zeros(3))).getMessage());
        assertSame(null, p.grad());
    }
}
