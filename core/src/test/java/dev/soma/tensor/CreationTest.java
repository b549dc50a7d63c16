package dev.soma.tensor;

import static dev.soma.testing.TensorAssertions.assertShape;
import static dev.soma.testing.TensorAssertions.assertValues;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CreationTest {

    // ---------------------------------------------------------------- constant tensors

    @Test
    void zerosOnesAndFullHoldTheirValue() {
        assertValues(Tensor.zeros(2, 3), new int[] {2, 3}, 0, 0, 0, 0, 0, 0);
        assertValues(Tensor.ones(3), new int[] {3}, 1, 1, 1);
        assertValues(Tensor.full(-2.5f, 2, 1), new int[] {2, 1}, -2.5f, -2.5f);
        assertValues(Tensor.full(Float.NaN, 2), new int[] {2}, Float.NaN, Float.NaN);
    }

    @Test
    void noSizesMeansRankZero() {
        Tensor zero = Tensor.zeros();
        assertShape(zero, new int[0]);
        assertEquals(0, zero.dim());
        assertEquals(1, zero.numel());
        assertEquals(0f, zero.item());
        assertEquals(7f, Tensor.full(7f).item());
    }

    @Test
    void negativeSizesAreRejected() {
        var e = assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(2, -1));
        assertEquals("zeros: negative size in shape [2, -1]", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Tensor.full(1f, -3));
        assertEquals("full: negative size in shape [-3]", e.getMessage());
    }

    @Test
    void likeTensorsKeepTheShape() {
        Tensor x = Tensor.arange(6).view(3, 2);
        assertValues(x.zerosLike(), new int[] {3, 2}, 0, 0, 0, 0, 0, 0);
        assertValues(x.onesLike(), new int[] {3, 2}, 1, 1, 1, 1, 1, 1);
    }

    @Test
    void scalarVectorAndMatrix() {
        Tensor s = Tensor.scalar(3.5f);
        assertShape(s, new int[0]);
        assertEquals(3.5f, s.item());
        assertValues(Tensor.vector(1, -2, 3), new int[] {3}, 1, -2, 3);
        assertValues(Tensor.vector(), new int[] {0});
        assertValues(Tensor.matrix(new float[][] {{1, 2, 3}, {4, 5, 6}}), new int[] {2, 3}, 1, 2, 3, 4, 5, 6);
        assertValues(Tensor.matrix(new float[0][]), new int[] {0, 0});
    }

    @Test
    void factoriesCopyTheirArrays() {
        float[] values = {1, 2, 3, 4};
        float[][] rows = {{1, 2}, {3, 4}};
        Tensor v = Tensor.vector(values);
        Tensor o = Tensor.of(values, 2, 2);
        Tensor m = Tensor.matrix(rows);
        values[0] = 99;
        rows[0][0] = 99;
        assertEquals(1f, v.get(0));
        assertEquals(1f, o.get(0, 0));
        assertEquals(1f, m.get(0, 0));
    }

    @Test
    void matrixRejectsRaggedRows() {
        var e = assertThrows(IllegalArgumentException.class, () -> Tensor.matrix(new float[][] {{1, 2}, {3}}));
        assertEquals("matrix: row 1 has 1 values, row 0 has 2", e.getMessage());
    }

    @Test
    void ofFillsRowMajorAndChecksTheCount() {
        assertValues(Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 3, 2), new int[] {3, 2}, 1, 2, 3, 4, 5, 6);
        assertEquals(3f, Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 3, 2).get(1, 0));
        assertEquals(9f, Tensor.of(new float[] {9}).item());
        var e = assertThrows(IllegalArgumentException.class, () -> Tensor.of(new float[5], 2, 3));
        assertEquals("of: 5 values cannot fill shape [2, 3] (6 elements)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Tensor.of(new float[0], 2, -1));
        assertEquals("of: negative size in shape [2, -1]", e.getMessage());
    }

    // ---------------------------------------------------------------- ranges

    @Test
    void arangeCountsUpToButExcludingTheEnd() {
        assertValues(Tensor.arange(5), new int[] {5}, 0, 1, 2, 3, 4);
        assertValues(Tensor.arange(2, 5), new int[] {3}, 2, 3, 4);
        assertValues(Tensor.arange(-1, 4, 2), new int[] {3}, -1, 1, 3);
        assertValues(Tensor.arange(0, 4.5f, 1.5f), new int[] {3}, 0, 1.5f, 3);
    }

    @Test
    void arangeWithFloatStepsHasPyTorchsLength() {
        // ceil((end - start) / step): 10 elements for [0, 1) in steps of 0.1, 3 for [0, 0.3).
        Tensor tenths = Tensor.arange(0, 1, 0.1f);
        assertShape(tenths, 10);
        for (int i = 0; i < 10; i++) {
            assertEquals(i * 0.1, tenths.get(i), 1e-7, "element " + i);
        }
        assertShape(Tensor.arange(0, 0.3f, 0.1f), 3);
        assertShape(Tensor.arange(1, 2, 0.25f), 4);
    }

    @Test
    void arangeWithNegativeStepCountsDown() {
        assertValues(Tensor.arange(5, 0, -1.5f), new int[] {4}, 5, 3.5f, 2, 0.5f);
        assertValues(Tensor.arange(3, 0, -1), new int[] {3}, 3, 2, 1);
    }

    @Test
    void arangeIsEmptyWhenTheEndIsOnTheWrongSide() {
        assertValues(Tensor.arange(3, 3), new int[] {0});
        assertValues(Tensor.arange(3, 1), new int[] {0});
        assertValues(Tensor.arange(0, 1, -1), new int[] {0});
        assertValues(Tensor.arange(0), new int[] {0});
    }

    @Test
    void arangeRejectsZeroAndNonFiniteSteps() {
        var e = assertThrows(IllegalArgumentException.class, () -> Tensor.arange(0, 1, 0));
        assertEquals("arange: start, end and step must be finite and step non-zero, got 0.0, 1.0, 0.0",
                e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Tensor.arange(0, Float.POSITIVE_INFINITY, 1));
        assertThrows(IllegalArgumentException.class, () -> Tensor.arange(0, 1, Float.NaN));
    }

    @Test
    void linspaceHitsBothEndpointsExactly() {
        assertValues(Tensor.linspace(0, 1, 5), new int[] {5}, 0, 0.25f, 0.5f, 0.75f, 1);
        assertValues(Tensor.linspace(2, -2, 3), new int[] {3}, 2, 0, -2);
        Tensor awkward = Tensor.linspace(0.1f, 0.7f, 7);
        assertEquals(0.1f, awkward.get(0));
        assertEquals(0.7f, awkward.get(-1));
        for (int i = 0; i < 7; i++) {
            assertEquals(0.1f + i * 0.1, awkward.get(i), 1e-7, "element " + i);
        }
    }

    @Test
    void linspaceWithZeroOrOneStep() {
        assertValues(Tensor.linspace(0, 1, 0), new int[] {0});
        // PyTorch: torch.linspace(3, 10, steps=1) is tensor([3.]).
        assertValues(Tensor.linspace(3, 10, 1), new int[] {1}, 3);
        var e = assertThrows(IllegalArgumentException.class, () -> Tensor.linspace(0, 1, -1));
        assertEquals("linspace: steps must be ≥ 0, got -1", e.getMessage());
    }

    @Test
    void eyeIsSquareOrRectangular() {
        assertValues(Tensor.eye(3), new int[] {3, 3}, 1, 0, 0, 0, 1, 0, 0, 0, 1);
        assertValues(Tensor.eye(2, 4), new int[] {2, 4}, 1, 0, 0, 0, 0, 1, 0, 0);
        assertValues(Tensor.eye(3, 2), new int[] {3, 2}, 1, 0, 0, 1, 0, 0);
        assertValues(Tensor.eye(0), new int[] {0, 0});
        assertValues(Tensor.eye(1), new int[] {1, 1}, 1);
    }

    // ---------------------------------------------------------------- random tensors

    @ParameterizedTest
    @ValueSource(longs = {0, 1, 42, -7, Long.MAX_VALUE})
    void randomTensorsAreDeterminedByTheSeed(long seed) {
        assertArrayEquals(Tensor.rand(new Generator(seed), 3, 50).toArray(),
                Tensor.rand(new Generator(seed), 3, 50).toArray());
        assertArrayEquals(Tensor.randn(new Generator(seed), 200).toArray(),
                Tensor.randn(new Generator(seed), 200).toArray());
        assertArrayEquals(Tensor.randint(new Generator(seed), -5, 5, 200).toArray(),
                Tensor.randint(new Generator(seed), -5, 5, 200).toArray());
    }

    @Test
    void differentSeedsGiveDifferentValues() {
        float[] a = Tensor.randn(new Generator(1), 1000).toArray();
        float[] b = Tensor.randn(new Generator(2), 1000).toArray();
        int differ = 0;
        for (int i = 0; i < a.length; i++) {
            differ += a[i] != b[i] ? 1 : 0;
        }
        assertEquals(1000, differ);
        assertFalse(java.util.Arrays.equals(Tensor.rand(new Generator(1), 100).toArray(),
                Tensor.rand(new Generator(2), 100).toArray()));
    }

    @Test
    void oneGeneratorKeepsAdvancing() {
        Generator g = new Generator(5);
        assertFalse(java.util.Arrays.equals(Tensor.rand(g, 10).toArray(), Tensor.rand(g, 10).toArray()));
    }

    @Test
    void randIsInTheUnitIntervalWithMeanOneHalf() {
        int n = 100_000;
        float[] values = Tensor.rand(new Generator(11), n).toArray();
        double sum = 0;
        for (float v : values) {
            assertTrue(v >= 0 && v < 1, "value " + v);
            sum += v;
        }
        // U(0, 1) has standard deviation √(1/12); allow 5 standard errors of the mean.
        assertEquals(0.5, sum / n, 5 * Math.sqrt(1.0 / 12) / Math.sqrt(n));
    }

    @Test
    void randnHasMeanZeroAndStandardDeviationOne() {
        int n = 100_000;
        float[] values = Tensor.randn(new Generator(2024), n).toArray();
        double sum = 0;
        double squares = 0;
        for (float v : values) {
            assertTrue(Float.isFinite(v));
            sum += v;
            squares += (double) v * v;
        }
        double mean = sum / n;
        double std = Math.sqrt((squares - n * mean * mean) / (n - 1));
        // Standard errors: of the mean 1/√n, of the sample standard deviation about 1/√(2n); 5 of each.
        assertEquals(0, mean, 5 / Math.sqrt(n));
        assertEquals(1, std, 5 / Math.sqrt(2.0 * n));
    }

    @Test
    void randintStaysInRangeAndHitsEveryValue() {
        float[] values = Tensor.randint(new Generator(3), -3, 4, 10_000).toArray();
        Set<Float> seen = new HashSet<>();
        for (float v : values) {
            assertTrue(v >= -3 && v <= 3 && v == Math.rint(v), "value " + v);
            seen.add(v);
        }
        assertEquals(7, seen.size());
        assertValues(Tensor.randint(new Generator(3), 5, 6, 3), new int[] {3}, 5, 5, 5);
        var e = assertThrows(IllegalArgumentException.class, () -> Tensor.randint(new Generator(3), 2, 2, 3));
        assertEquals("randint: high must be > low, got low 2, high 2", e.getMessage());
    }

    @Test
    void fillUniformUsesTheGeneratorAndTheRange() {
        Tensor x = Tensor.zeros(4, 5).fillUniform(0, 1, new Generator(9));
        assertArrayEquals(Tensor.rand(new Generator(9), 20).toArray(), x.toArray());
        float[] values = Tensor.zeros(10_000).fillUniform(-2, 3, new Generator(4)).toArray();
        double sum = 0;
        for (float v : values) {
            assertTrue(v >= -2 && v < 3, "value " + v);
            sum += v;
        }
        assertEquals(0.5, sum / values.length, 5 * 5 / Math.sqrt(12.0 * values.length));
        var e = assertThrows(IllegalArgumentException.class,
                () -> Tensor.zeros(2).fillUniform(1, 0, new Generator(1)));
        assertEquals("fillUniform: high must be ≥ low, got 1.0, 0.0", e.getMessage());
    }

    @Test
    void fillNormalHasTheRequestedMeanAndStd() {
        int n = 100_000;
        float[] values = Tensor.zeros(n).fillNormal(3, 2, new Generator(77)).toArray();
        double sum = 0;
        double squares = 0;
        for (float v : values) {
            sum += v;
            squares += (double) v * v;
        }
        double mean = sum / n;
        double std = Math.sqrt((squares - n * mean * mean) / (n - 1));
        assertEquals(3, mean, 5 * 2 / Math.sqrt(n));
        assertEquals(2, std, 5 * 2 / Math.sqrt(2.0 * n));
        assertValues(Tensor.zeros(3).fillNormal(1.5f, 0, new Generator(1)), new int[] {3}, 1.5f, 1.5f, 1.5f);
        var e = assertThrows(IllegalArgumentException.class,
                () -> Tensor.zeros(2).fillNormal(0, -1, new Generator(1)));
        assertEquals("fillNormal: std must be ≥ 0, got -1.0", e.getMessage());
    }

    @Test
    void fillsOfAViewWriteOnlyTheView() {
        Tensor base = Tensor.zeros(3, 4);
        base.slice(1, 1, 4, 2).fillUniform(1, 2, new Generator(3));
        for (int r = 0; r < 3; r++) {
            for (int c = 0; c < 4; c++) {
                float v = base.get(r, c);
                assertTrue(c % 2 == 1 ? v >= 1 && v < 2 : v == 0, "(" + r + ", " + c + ") = " + v);
            }
        }
    }

    // ---------------------------------------------------------------- values

    @Test
    void itemNeedsExactlyOneElement() {
        assertEquals(4f, Tensor.full(4f, 1, 1, 1).item());
        var e = assertThrows(IllegalStateException.class, () -> Tensor.vector(1, 2).item());
        assertEquals("item: tensor of shape [2] has 2 elements, item() needs exactly 1", e.getMessage());
        e = assertThrows(IllegalStateException.class, () -> Tensor.zeros(0).item());
        assertEquals("item: tensor of shape [0] has 0 elements, item() needs exactly 1", e.getMessage());
    }

    @Test
    void itemOfAViewReadsTheViewsElement() {
        Tensor x = Tensor.arange(6).view(2, 3);
        assertEquals(5f, x.narrow(0, 1, 1).narrow(1, 2, 1).item());
    }

    @Test
    void toArrayIsARowMajorCopy() {
        Tensor x = Tensor.arange(6).view(2, 3);
        float[] values = x.toArray();
        values[0] = 42;
        assertEquals(0f, x.get(0, 0));
        assertArrayEquals(new float[] {0, 3, 1, 4, 2, 5}, x.t().toArray());
        float[] again = x.t().toArray();
        again[1] = 42;
        assertEquals(3f, x.get(1, 0));
    }

    @Test
    void getAndSetAcceptNegativeIndices() {
        Tensor x = Tensor.arange(6).view(2, 3);
        assertEquals(5f, x.get(-1, -1));
        assertEquals(3f, x.get(1, -3));
        assertEquals(2f, x.get(-2, 2));
        x.set(9, -1, 0);
        assertEquals(9f, x.get(1, 0));
        assertEquals(9f, x.toArray()[3]);
    }

    @Test
    void getAndSetRejectBadIndices() {
        Tensor x = Tensor.arange(6).view(2, 3);
        var e = assertThrows(IndexOutOfBoundsException.class, () -> x.get(2, 0));
        assertEquals("get: index 2 is out of range for dim 0 of size 2 in shape [2, 3]", e.getMessage());
        e = assertThrows(IndexOutOfBoundsException.class, () -> x.get(0, -4));
        assertEquals("get: index -4 is out of range for dim 1 of size 3 in shape [2, 3]", e.getMessage());
        e = assertThrows(IndexOutOfBoundsException.class, () -> x.set(1, 0, 3));
        assertEquals("set: index 3 is out of range for dim 1 of size 3 in shape [2, 3]", e.getMessage());
        var wrongRank = assertThrows(IllegalArgumentException.class, () -> x.get(1));
        assertEquals("get: 1 indices for a tensor of rank 2 [2, 3]", wrongRank.getMessage());
        assertThrows(IndexOutOfBoundsException.class, () -> Tensor.zeros(0).get(0));
    }

    @Test
    void rankZeroTensors() {
        Tensor s = Tensor.scalar(2);
        assertEquals(2f, s.get());
        s.set(5);
        assertEquals(5f, s.item());
        assertArrayEquals(new int[0], s.strides());
        assertTrue(s.isContiguous());
        assertArrayEquals(new float[] {5}, s.toArray());
        assertThrows(IllegalArgumentException.class, () -> s.get(0));
        assertThrows(IllegalArgumentException.class, () -> s.size(1));
        assertEquals(5f, s.fill(5).item());
    }

    @Test
    void sizeZeroTensors() {
        Tensor empty = Tensor.zeros(0, 3);
        assertEquals(0, empty.numel());
        assertEquals(2, empty.dim());
        assertEquals(0, empty.size(0));
        assertEquals(3, empty.size(-1));
        assertEquals(0, empty.toArray().length);
        assertShape(empty.fill(1), 0, 3);
        assertShape(Tensor.ones(2, 0, 4), 2, 0, 4);
        assertShape(Tensor.rand(new Generator(1), 0), 0);
        assertShape(Tensor.randn(new Generator(1), 3, 0), 3, 0);
    }

    @Test
    void sizeAndShapeAreCopiesAndCountFromTheEnd() {
        Tensor x = Tensor.zeros(2, 3, 4);
        assertEquals(4, x.size(-1));
        assertEquals(2, x.size(-3));
        assertEquals(24, x.numel());
        int[] shape = x.shape();
        shape[0] = 99;
        assertEquals(2, x.size(0));
        int[] strides = x.strides();
        strides[0] = 99;
        assertArrayEquals(new int[] {12, 4, 1}, x.strides());
        var e = assertThrows(IllegalArgumentException.class, () -> x.size(3));
        assertEquals("size: dim 3 is out of range for a tensor of rank 3 (expected -3 to 2)", e.getMessage());
    }

    @Test
    void fillAndCopyFromModifyInPlace() {
        Tensor x = Tensor.zeros(2, 3);
        assertValues(x.fill(2), new int[] {2, 3}, 2, 2, 2, 2, 2, 2);
        x.copyFrom(Tensor.vector(1, 2, 3));
        assertValues(x, new int[] {2, 3}, 1, 2, 3, 1, 2, 3);
        x.addInPlace(Tensor.ones(2, 1), 0.5f);
        assertValues(x, new int[] {2, 3}, 1.5f, 2.5f, 3.5f, 1.5f, 2.5f, 3.5f);
        x.mulInPlace(2);
        assertValues(x, new int[] {2, 3}, 3, 5, 7, 3, 5, 7);
        var e = assertThrows(IllegalArgumentException.class, () -> x.addInPlace(Tensor.ones(3, 3), 1));
        assertTrue(e.getMessage().startsWith("addInPlace:"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> x.copyFrom(Tensor.ones(4)));
    }
}
