package dev.soma.tensor;

import static dev.soma.testing.TensorAssertions.assertClose;
import static dev.soma.testing.TensorAssertions.assertShape;
import static dev.soma.testing.TensorAssertions.assertValues;
import static dev.soma.testing.TensorAssertions.indices;
import static dev.soma.testing.TensorAssertions.seeded;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class ReductionTest {

    /** A [2, 3, 4] input with ties (values rounded to halves) so that max/min ties occur. */
    private static Tensor input() {
        float[] values = seeded(31, 2, 2, 3, 4).toArray();
        for (int i = 0; i < values.length; i++) {
            values[i] = Math.round(values[i] * 2) / 2f;
        }
        return Tensor.of(values, 2, 3, 4);
    }

    /** Every non-empty subset of {0, 1, 2}, as dims (spelled negative for odd masks), with keepDim both ways. */
    static Stream<Arguments> subsets() {
        List<Arguments> out = new ArrayList<>();
        for (int mask = 1; mask < 8; mask++) {
            List<Integer> dims = new ArrayList<>();
            for (int d = 0; d < 3; d++) {
                if ((mask & (1 << d)) != 0) {
                    dims.add(mask % 2 == 1 ? d - 3 : d);
                }
            }
            int[] array = dims.stream().mapToInt(Integer::intValue).toArray();
            out.add(Arguments.of(array, false));
            out.add(Arguments.of(array, true));
        }
        out.add(Arguments.of(new int[0], false));  // no dims: all of them
        out.add(Arguments.of(new int[0], true));
        return out.stream();
    }

    /** Statistics of the reduced groups, computed by explicit loops in double. */
    private record Groups(int[] shape, List<List<Double>> values) {
    }

    private static Groups groups(Tensor x, int[] dims, boolean keepDim) {
        int[] shape = x.shape();
        boolean[] reduced = new boolean[shape.length];
        for (int d : dims) {
            reduced[d < 0 ? d + shape.length : d] = true;
        }
        if (dims.length == 0) {
            java.util.Arrays.fill(reduced, true);
        }
        List<Integer> outShape = new ArrayList<>();
        for (int d = 0; d < shape.length; d++) {
            if (!reduced[d]) {
                outShape.add(shape[d]);
            } else if (keepDim) {
                outShape.add(1);
            }
        }
        int[] out = outShape.stream().mapToInt(Integer::intValue).toArray();
        List<List<Double>> values = new ArrayList<>();
        for (int i = 0; i < Math.max(1, IntStream.of(out).reduce(1, (a, b) -> a * b)); i++) {
            values.add(new ArrayList<>());
        }
        for (int[] index : indices(shape)) {
            int flat = 0;
            for (int d = 0; d < shape.length; d++) {
                if (!reduced[d]) {
                    int size = shape[d];
                    flat = flat * size + index[d];
                }
            }
            values.get(flat).add((double) x.get(index));
        }
        return new Groups(out, values);
    }

    private static double[] each(Groups g, java.util.function.ToDoubleFunction<List<Double>> f) {
        return g.values().stream().mapToDouble(f).toArray();
    }

    private static double sum(List<Double> v) {
        return v.stream().mapToDouble(Double::doubleValue).sum();
    }

    private static double variance(List<Double> v, int correction) {
        double mean = sum(v) / v.size();
        return v.stream().mapToDouble(x -> (x - mean) * (x - mean)).sum() / (v.size() - correction);
    }

    @ParameterizedTest(name = "dims {0}, keepDim {1}")
    @MethodSource("subsets")
    void reductionsOverEverySubsetOfDims(int[] dims, boolean keepDim) {
        for (Tensor x : List.of(input(), input().permute(2, 0, 1).contiguous().permute(1, 2, 0))) {
            Groups g = groups(x, dims, keepDim);
            assertClose(x.sum(dims, keepDim), g.shape(), each(g, ReductionTest::sum), 1e-6, 1e-6);
            assertClose(x.mean(dims, keepDim), g.shape(), each(g, v -> sum(v) / v.size()), 1e-6, 1e-6);
            assertClose(x.max(dims, keepDim), g.shape(),
                    each(g, v -> v.stream().mapToDouble(Double::doubleValue).max().orElseThrow()), 0, 0);
            assertClose(x.min(dims, keepDim), g.shape(),
                    each(g, v -> v.stream().mapToDouble(Double::doubleValue).min().orElseThrow()), 0, 0);
            assertClose(x.var(dims, 0, keepDim), g.shape(), each(g, v -> variance(v, 0)), 1e-5, 1e-6);
            assertClose(x.var(dims, 1, keepDim), g.shape(), each(g, v -> variance(v, 1)), 1e-5, 1e-6);
            assertClose(x.std(dims, 1, keepDim), g.shape(), each(g, v -> Math.sqrt(variance(v, 1))), 1e-5, 1e-6);
            assertClose(x.std(dims, 0, keepDim), g.shape(), each(g, v -> Math.sqrt(variance(v, 0))), 1e-5, 1e-6);
            assertClose(x.logsumexp(dims, keepDim), g.shape(),
                    each(g, v -> Math.log(v.stream().mapToDouble(Math::exp).sum())), 1e-6, 1e-6);
        }
    }

    @ParameterizedTest(name = "dim {0}")
    @ValueSource(ints = {-3, -2, -1, 0, 1, 2})
    void singleDimReductionsAndArgExtremes(int dim) {
        Tensor x = input();
        int d = dim < 0 ? dim + 3 : dim;
        Groups g = groups(x, new int[] {dim}, false);
        assertClose(x.sum(dim), g.shape(), each(g, ReductionTest::sum), 1e-6, 1e-6);
        assertClose(x.mean(dim), g.shape(), each(g, v -> sum(v) / v.size()), 1e-6, 1e-6);
        assertClose(x.max(dim), g.shape(), each(g, v -> v.stream().mapToDouble(Double::doubleValue).max().orElseThrow()), 0, 0);
        assertClose(x.min(dim), g.shape(), each(g, v -> v.stream().mapToDouble(Double::doubleValue).min().orElseThrow()), 0, 0);
        double[] argmax = each(g, v -> v.indexOf(v.stream().mapToDouble(Double::doubleValue).max().orElseThrow()));
        double[] argmin = each(g, v -> v.indexOf(v.stream().mapToDouble(Double::doubleValue).min().orElseThrow()));
        assertClose(x.argmax(dim, false), g.shape(), argmax, 0, 0);
        assertClose(x.argmin(dim, false), g.shape(), argmin, 0, 0);
        Groups kept = groups(x, new int[] {dim}, true);
        assertClose(x.argmax(dim, true), kept.shape(), argmax, 0, 0);
        assertClose(x.argmin(dim, true), kept.shape(), argmin, 0, 0);
        assertEquals(3 - 1, x.sum(dim).dim());
        assertEquals(x.size(d), x.numel() / x.sum(dim).numel());
    }

    @Test
    void wholeTensorReductions() {
        Tensor x = Tensor.vector(1, 2, 3, 4);
        assertEquals(10f, x.sum().item());
        assertShape(x.sum(), new int[0]);
        assertEquals(2.5f, x.mean().item());
        assertEquals(4f, x.max().item());
        assertEquals(1f, x.min().item());
        assertEquals(5f / 3, x.var().item(), 1e-7);
        assertEquals((float) Math.sqrt(5.0 / 3), x.std().item(), 1e-7);
        assertEquals(1.25f, x.var(new int[0], 0, false).item());
        Tensor m = Tensor.vector(3, 1, 4, 1, 5, 9, 2, 6).view(2, 4);
        assertEquals(5f, m.argmax().item());
        assertEquals(1f, m.argmin().item());
        assertShape(m.argmax(), new int[0]);
    }

    @Test
    void argExtremesPickTheFirstOfTies() {
        assertEquals(1f, Tensor.vector(1, 3, 3, 2).argmax().item());
        assertEquals(0f, Tensor.vector(1, 3, 1, 2).argmin().item());
        assertEquals(0f, Tensor.vector(7, 7, 7).argmax().item());
        Tensor m = Tensor.matrix(new float[][] {{5, 5, 1}, {1, 5, 5}});
        assertValues(m.argmax(1, false), new int[] {2}, 0, 1);
        assertValues(m.argmin(0, false), new int[] {3}, 1, 0, 0);
        assertValues(m.argmax(0, true), new int[] {1, 3}, 0, 0, 1);
    }

    @Test
    void argExtremesTreatNaNAsTheExtreme() {
        assertEquals(1f, Tensor.vector(1, Float.NaN, 3, Float.NaN).argmax().item());
        assertEquals(1f, Tensor.vector(1, Float.NaN, -3).argmin().item());
        assertEquals(Float.NaN, Tensor.vector(1, Float.NaN, 3).max().item());
        assertEquals(Float.NaN, Tensor.vector(1, Float.NaN, 3).min().item());
    }

    @Test
    void argExtremesOfRankZero() {
        assertEquals(0f, Tensor.scalar(4).argmax().item());
        assertEquals(0f, Tensor.scalar(4).argmin(0, false).item());
    }

    @Test
    void varianceCorrections() {
        Tensor x = Tensor.vector(2, 4, 4, 4, 5, 5, 7, 9);
        assertEquals(4f, x.var(new int[] {0}, 0, false).item());
        assertEquals(32f / 7, x.var(new int[] {0}, 1, false).item(), 1e-6);
        assertEquals(2f, x.std(new int[] {0}, 0, false).item());
        assertEquals(Float.NaN, Tensor.vector(3).var().item());
        assertEquals(0f, Tensor.vector(3).var(new int[0], 0, false).item());
    }

    // ---------------------------------------------------------------- logsumexp and softmax

    @Test
    void softmaxAndLogsumexpAtLargeMagnitudes() {
        Tensor big = Tensor.vector(1000, 1000);
        assertValues(big.softmax(0), new int[] {2}, 0.5f, 0.5f);
        assertEquals((float) (1000 + Math.log(2)), big.logsumexp(0).item(), Math.ulp(1000f));
        assertValues(Tensor.vector(-1000, -1000).softmax(0), new int[] {2}, 0.5f, 0.5f);
        assertEquals((float) (-1000 + Math.log(2)), Tensor.vector(-1000, -1000).logsumexp(0).item(), Math.ulp(1000f));
        assertValues(Tensor.vector(1000, 0).softmax(0), new int[] {2}, 1, 0);
        assertValues(Tensor.vector(1000, 0).logSoftmax(0), new int[] {2}, 0, -1000);
        assertValues(Tensor.vector(-1000, 1000).logSoftmax(0), new int[] {2}, -2000, 0);
        assertEquals(1000f, Tensor.vector(1000, -1000).logsumexp(0).item());
    }

    @Test
    void infiniteInputs() {
        float inf = Float.POSITIVE_INFINITY;
        assertEquals(-inf, Tensor.vector(-inf, -inf).logsumexp(0).item());
        // PyTorch: softmax of an all -inf row is NaN (0/0).
        assertValues(Tensor.vector(-inf, -inf).softmax(0), new int[] {2}, Float.NaN, Float.NaN);
        assertEquals(0f, Tensor.vector(-inf, 0).logsumexp(0).item());
        assertValues(Tensor.vector(-inf, 0).softmax(0), new int[] {2}, 0, 1);
        assertValues(Tensor.vector(-inf, 0).logSoftmax(0), new int[] {2}, -inf, 0);
        assertEquals(inf, Tensor.vector(inf, 1).logsumexp(0).item());
        Tensor rows = Tensor.matrix(new float[][] {{-inf, -inf}, {1, 1}});
        assertValues(rows.softmax(1), new int[] {2, 2}, Float.NaN, Float.NaN, 0.5f, 0.5f);
    }

    @ParameterizedTest(name = "dim {0}")
    @ValueSource(ints = {0, 1, 2, -1})
    void softmaxMatchesTheDefinition(int dim) {
        Tensor x = seeded(5, 4, 3, 4, 5);
        Groups g = groups(x, new int[] {dim}, true);
        Tensor softmax = x.softmax(dim);
        Tensor logSoftmax = x.logSoftmax(dim);
        int d = dim < 0 ? dim + 3 : dim;
        double[] lse = each(g, v -> Math.log(v.stream().mapToDouble(Math::exp).sum()));
        List<int[]> all = indices(3, 4, 5);
        double[] expectedLog = new double[all.size()];
        double[] expected = new double[all.size()];
        for (int i = 0; i < all.size(); i++) {
            int[] index = all.get(i);
            int flat = 0;
            for (int k = 0; k < 3; k++) {
                flat = k == d ? flat : flat * x.size(k) + index[k];
            }
            expectedLog[i] = x.get(index) - lse[flat];
            expected[i] = Math.exp(expectedLog[i]);
        }
        assertClose(softmax, new int[] {3, 4, 5}, expected, 1e-5, 1e-7);
        assertClose(logSoftmax, new int[] {3, 4, 5}, expectedLog, 1e-5, 1e-6);
        Tensor ones = softmax.sum(dim);
        for (float v : ones.toArray()) {
            assertEquals(1f, v, 1e-6);
        }
    }

    // ---------------------------------------------------------------- empty reductions

    @Test
    void sumsOverSizeZeroDimsAreZero() {
        Tensor empty = Tensor.zeros(0, 3);
        assertEquals(0f, empty.sum().item());
        assertValues(empty.sum(0), new int[] {3}, 0, 0, 0);
        assertValues(empty.sum(1), new int[] {0});
        assertValues(empty.sum(new int[] {0}, true), new int[] {1, 3}, 0, 0, 0);
        assertValues(Tensor.zeros(2, 0).sum(1), new int[] {2}, 0, 0);
        assertEquals(Float.NaN, empty.mean().item());
        assertValues(empty.max(1), new int[] {0});
        assertShape(Tensor.zeros(2, 0).softmax(1), 2, 0);
        assertShape(Tensor.zeros(0, 2).logSoftmax(1), 0, 2);
    }

    @Test
    void maxOverSizeZeroDimsFailsClearly() {
        Tensor empty = Tensor.zeros(0, 3);
        var e = assertThrows(IllegalArgumentException.class, empty::max);
        assertEquals("max: cannot reduce dim 0 of size 0 in shape [0, 3] (the result has no identity)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> empty.min(0));
        assertEquals("min: cannot reduce dim 0 of size 0 in shape [0, 3] (the result has no identity)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(0).argmax());
        assertEquals("argmax: cannot reduce dim 0 of size 0 in shape [0] (the result has no identity)", e.getMessage());
    }

    @Test
    void logsumexpOfNothingIsMinusInfinity() {
        assertValues(Tensor.zeros(2, 0).logsumexp(1), new int[] {2}, Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY);
    }

    @Test
    void reductionDimsAreChecked() {
        Tensor x = Tensor.zeros(2, 3);
        var e = assertThrows(IllegalArgumentException.class, () -> x.sum(2));
        assertEquals("sum: dim 2 is out of range for a tensor of rank 2 (expected -2 to 1)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> x.sum(new int[] {1, -1}, false));
        assertEquals("sum: dim -1 appears more than once in [1, -1]", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> x.argmax(-3, false));
        assertEquals("argmax: dim -3 is out of range for a tensor of rank 2 (expected -2 to 1)", e.getMessage());
    }

    @Test
    void rankZeroReductionsAreTheValue() {
        Tensor s = Tensor.scalar(3);
        assertEquals(3f, s.sum().item());
        assertEquals(3f, s.sum(0).item());
        assertEquals(3f, s.mean(-1).item());
        assertEquals(3f, s.max().item());
        assertShape(s.sum(0), new int[0]);
    }

    // ---------------------------------------------------------------- accuracy of long sums

    @ParameterizedTest(name = "{0} elements")
    @ValueSource(ints = {4098, 1_000_000})
    void longSumsAreAccurate(int n) {
        Tensor x = Tensor.full(0.1f, n);
        double exact = n * (double) 0.1f;
        assertEquals(exact, x.sum().item(), 1e-5 * exact, "sum() of all elements (the kernels' sum)");
        assertEquals(0.1f, x.mean().item(), 1e-5 * 0.1, "mean()");
        assertEquals(exact, x.view(2, n / 2).sum(new int[] {0, 1}, false).item(), 1e-5 * exact, "sum over [0, 1]");
    }

    @Test
    void longSumsOverTheLeadingDimAreAccurate() {
        int n = 200_000;
        Tensor x = Tensor.full(0.1f, n, 3);
        double exact = n * (double) 0.1f;
        for (float v : x.sum(0).toArray()) {
            assertEquals(exact, v, 1e-5 * exact, "sum(0): rows added one after another");
        }
        for (float v : x.mean(0).toArray()) {
            assertEquals(0.1, v, 1e-5 * 0.1, "mean(0)");
        }
        for (float v : x.t().sum(1).toArray()) {
            assertEquals(exact, v, 1e-5 * exact, "sum(1) of the transpose: one long row per output");
        }
    }
}
