package dev.soma.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * {@code toString} prints values exactly as PyTorch 2.x does ({@code torch/_tensor_str.py}: one format
 * for all elements, 4 decimals, integers as {@code 1.}, scientific when the nonzero finite magnitudes
 * span more than 10³ or leave [1e-4, 1e8], lines of 80 columns, {@code ...} past 1000 elements), then
 * Soma's suffixes: {@code shape=[…]} for rank ≥ 1 and the graph state.
 */
class FormatTest {

    private static final float NAN = Float.NaN;
    private static final float INF = Float.POSITIVE_INFINITY;

    @Test
    void rankZero() {
        assertEquals("tensor(3.5000)", Tensor.scalar(3.5f).toString());
        assertEquals("tensor(-0.2500)", Tensor.scalar(-0.25f).toString());
        assertEquals("tensor(3.)", Tensor.scalar(3).toString());
        assertEquals("tensor(0.)", Tensor.scalar(0).toString());
        assertEquals("tensor(1.0000e-05)", Tensor.scalar(1e-5f).toString());
        assertEquals("tensor(nan)", Tensor.scalar(NAN).toString());
        assertEquals("tensor(-inf)", Tensor.scalar(-INF).toString());
    }

    @Test
    void integersPrintWithATrailingPoint() {
        assertEquals("tensor([1., 2.], shape=[2])", Tensor.vector(1, 2).toString());
        assertEquals("tensor([-1.,  2., 10.], shape=[3])", Tensor.vector(-1, 2, 10).toString());
        assertEquals("tensor([0., 0., 0.], shape=[3])", Tensor.zeros(3).toString());
    }

    @Test
    void fixedPointWithAlignedSigns() {
        Tensor m = Tensor.matrix(new float[][] {{1.0f, -2.5f}, {3.0f, 4.0f}});
        assertEquals("tensor([[ 1.0000, -2.5000],\n        [ 3.0000,  4.0000]], shape=[2, 2])", m.toString());
        assertEquals("tensor([10.5000, -1.2500], shape=[2])", Tensor.vector(10.5f, -1.25f).toString());
        assertEquals("tensor([0.1235, 0.5000], shape=[2])", Tensor.vector(0.12345f, 0.5f).toString());
    }

    @Test
    void scientificWhenTheRangeIsWide() {
        assertEquals("tensor([1.0000e-05, 1.0000e+00, 1.0000e+03], shape=[3])",
                Tensor.vector(1e-5f, 1, 1000).toString());
        assertEquals("tensor([ 1.2346e+05, -1.0000e-01], shape=[2])", Tensor.vector(123456.5f, -0.1f).toString());
        assertEquals("tensor([5.0000e-05], shape=[1])", Tensor.vector(5e-5f).toString());
        assertEquals("tensor([1.0000e+09], shape=[1])", Tensor.vector(1e9f).toString());
        // PyTorch also switches integer tensors to scientific when max/min exceeds 1000.
        assertEquals("tensor([1.0000e+00, 1.0000e+04], shape=[2])", Tensor.vector(1, 10_000).toString());
        assertEquals("tensor([   1., 1000.], shape=[2])", Tensor.vector(1, 1000).toString());
    }

    @Test
    void nanAndInfinity() {
        // Non-finite values do not widen the columns (PyTorch measures only nonzero finite values).
        assertEquals("tensor([1., nan, inf, -inf], shape=[4])", Tensor.vector(1, NAN, INF, -INF).toString());
        assertEquals("tensor([1.5000,    nan], shape=[2])", Tensor.vector(1.5f, NAN).toString());
        assertEquals("tensor([nan, nan], shape=[2])", Tensor.vector(NAN, NAN).toString());
        assertEquals("tensor([0., inf], shape=[2])", Tensor.vector(0, INF).toString());
    }

    @Test
    void empty() {
        assertEquals("tensor([], shape=[0, 3])", Tensor.zeros(0, 3).toString());
        assertEquals("tensor([], shape=[0])", Tensor.zeros(0).toString());
    }

    @Test
    void rankThreeSeparatesBlocksWithABlankLine() {
        String expected = """
                tensor([[[0., 1.],
                         [2., 3.]],

                        [[4., 5.],
                         [6., 7.]]], shape=[2, 2, 2])""";
        assertEquals(expected, Tensor.arange(8).view(2, 2, 2).toString());
    }

    @Test
    void longRowsWrapAtEightyColumns() {
        String vector = """
                tensor([ 0.,  1.,  2.,  3.,  4.,  5.,  6.,  7.,  8.,  9., 10., 11., 12., 13.,
                        14., 15., 16., 17., 18., 19., 20., 21., 22., 23., 24., 25., 26., 27.,
                        28., 29.], shape=[30])""";
        assertEquals(vector, Tensor.arange(30).toString());
        // In a matrix the rows start one column further right; PyTorch fits 9 such values per line.
        String matrix = """
                tensor([[0.0000, 0.1250, 0.2500, 0.3750, 0.5000, 0.6250, 0.7500, 0.8750, 1.0000,
                         1.1250],
                        [1.2500, 1.3750, 1.5000, 1.6250, 1.7500, 1.8750, 2.0000, 2.1250, 2.2500,
                         2.3750]], shape=[2, 10])""";
        assertEquals(matrix, Tensor.arange(20).div(8).view(2, 10).toString());
        for (String line : Tensor.randn(new Generator(1), 7, 30).toString().split("\n")) {
            assertTrue(line.length() <= 80, line);
        }
    }

    @Test
    void suffixesMoveToTheirOwnLineWhenTheyWouldPassTheWidth() {
        assertEquals("tensor([ 0.,  1.,  2.,  3.,  4.,  5.,  6.,  7.,  8.,  9., 10., 11., 12., 13.],\n"
                + "       shape=[14])", Tensor.arange(14).toString());
        assertEquals("tensor([ 0.,  1.,  2.,  3.,  4.,  5.,  6.,  7.,  8.,  9., 10., 11.],\n"
                + "       shape=[12], requiresGrad=true)", Tensor.arange(12).requiresGrad(true).toString());
        assertEquals("tensor([0., 1., 2., 3., 4., 5., 6., 7., 8., 9.], shape=[10], requiresGrad=true)",
                Tensor.arange(10).requiresGrad(true).toString());
    }

    @Test
    void largeTensorsAreSummarised() {
        assertEquals("tensor([0.0000, 0.0010, 0.0020,  ..., 0.9980, 0.9990, 1.0000], shape=[1001])",
                Tensor.arange(1001).div(1000).toString());
        assertEquals("tensor([0.0000e+00, 1.0000e+00, 2.0000e+00,  ..., 1.9970e+03, 1.9980e+03,\n"
                + "        1.9990e+03], shape=[2000])", Tensor.arange(2000).toString());
        String rows = """
                tensor([[1., 1.],
                        [1., 1.],
                        [1., 1.],
                        ...,
                        [1., 1.],
                        [1., 1.],
                        [1., 1.]], shape=[1001, 2])""";
        assertEquals(rows, Tensor.ones(1001, 2).toString());
        String both = """
                tensor([[1., 1., 1.,  ..., 1., 1., 1.],
                        [1., 1., 1.,  ..., 1., 1., 1.],
                        [1., 1., 1.,  ..., 1., 1., 1.],
                        ...,
                        [1., 1., 1.,  ..., 1., 1., 1.],
                        [1., 1., 1.,  ..., 1., 1., 1.],
                        [1., 1., 1.,  ..., 1., 1., 1.]], shape=[40, 40])""";
        assertEquals(both, Tensor.ones(40, 40).toString());
        assertEquals("tensor([1., 1., 1.,  ..., 1., 1., 1.], shape=[1001])", Tensor.ones(1001).toString());
        assertEquals(1000, Tensor.ones(1000).toString().split(",").length - 1);
    }

    @Test
    void summaryWidthComesFromTheShownValuesOnly() {
        Tensor x = Tensor.ones(2000);
        try (var scope = NoGrad.enter()) {
            x.set(123, 1000);   // hidden by the summary, so it widens nothing
        }
        assertEquals("tensor([1., 1., 1.,  ..., 1., 1., 1.], shape=[2000])", x.toString());
    }

    @Test
    void nonContiguousTensorsPrintTheirLogicalOrder() {
        Tensor t = Tensor.arange(6).view(2, 3).t();
        assertEquals("tensor([[0., 3.],\n        [1., 4.],\n        [2., 5.]], shape=[3, 2])", t.toString());
    }

    @Test
    void graphSuffixes() {
        Tensor x = Tensor.vector(1, 2).requiresGrad(true);
        assertEquals("tensor([1., 2.], shape=[2], requiresGrad=true)", x.toString());
        assertEquals("tensor([2., 4.], shape=[2], gradFn=<mul>)", x.mul(2).toString());
        assertEquals("tensor(3., gradFn=<sum>)", x.sum().toString());
        assertEquals("tensor(3.5000, requiresGrad=true)", Tensor.scalar(3.5f).requiresGrad(true).toString());
        try (var scope = NoGrad.enter()) {
            assertEquals("tensor([2., 4.], shape=[2])", x.mul(2).toString());
        }
    }
}
