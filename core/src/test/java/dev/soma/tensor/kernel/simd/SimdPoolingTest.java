package dev.soma.tensor.kernel.simd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.soma.tensor.kernel.Kernels;
import dev.soma.tensor.kernel.Workers;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The vector 2×2 max pooling against the scalar specification: values, winners' indices, ties, NaN. */
class SimdPoolingTest {

    private static final Kernels SIMD = new SimdKernels(Workers.active());
    private static final Kernels SCALAR = Kernels.scalar();

    @ParameterizedTest(name = "n={0} values={1} nan={2} rows={3}")
    @CsvSource({"0, 3, false, 1", "1, 3, false, 2", "15, 100, false, 1", "16, 3, false, 3", "17, 3, true, 1",
        "31, 1000, true, 2", "32, 2, false, 1", "33, 2, true, 4", "207, 5, true, 1", "1000, 1000000, false, 2",
        "7, 4, true, 7", "14, 4, false, 14"})
    void matchesTheScalarRunningRule(int n, int distinctValues, boolean withNaN, int rows) {
        // Few distinct values make ties common; the first of equal maxima must win, as in PyTorch.
        Random random = new Random(n * 31L + distinctValues);
        int width = 2 * n + 3; // rows wider than the windows, and an odd width
        int top = 7;
        // the last window ends the array: masked loads must not overrun
        float[] x = new float[top + (2 * rows - 1) * width + 2 * n];
        for (int i = 0; i < x.length; i++) {
            x[i] = random.nextInt(distinctValues) - distinctValues / 2f;
            if (withNaN && random.nextInt(13) == 0) {
                x[i] = Float.NaN;
            }
        }
        int offset = 4;
        float[] expected = new float[rows * n + 2 * offset];
        int[] expectedSource = new int[rows * n + 2 * offset];
        Arrays.fill(expected, -7f);
        Arrays.fill(expectedSource, -7);
        float[] actual = expected.clone();
        int[] actualSource = expectedSource.clone();
        SCALAR.maxPool2x2(x, top, width, rows, expected, expectedSource, offset, n);
        SIMD.maxPool2x2(x, top, width, rows, actual, actualSource, offset, n);
        assertArrayEquals(expectedSource, actualSource);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(Float.floatToIntBits(expected[i]), Float.floatToIntBits(actual[i]), "output " + i);
        }
    }

    @ParameterizedTest(name = "window {0} {1} {2} {3} → index {4}")
    @CsvSource({"1, 2, 3, 4, 3", "4, 3, 2, 1, 0", "5, 5, 5, 5, 0", "1, 5, 5, 1, 1", "1, 1, 1, 9, 3",
        "1, NaN, 9, 2, 1", "1, NaN, NaN, 2, 2", "-Infinity, -Infinity, -Infinity, -Infinity, 0"})
    void oneWindowOfEachKind(float a, float b, float c, float d, int winner) {
        // 16 copies of the same window in one row pair exercise the vector body.
        int n = 16;
        float[] x = new float[4 * n];
        for (int i = 0; i < n; i++) {
            x[2 * i] = a;
            x[2 * i + 1] = b;
            x[2 * n + 2 * i] = c;
            x[2 * n + 2 * i + 1] = d;
        }
        for (Kernels kernels : new Kernels[] {SCALAR, SIMD}) {
            float[] out = new float[n];
            int[] source = new int[n];
            kernels.maxPool2x2(x, 0, 2 * n, 1, out, source, 0, n);
            for (int i = 0; i < n; i++) {
                int expected = (winner < 2 ? 2 * i : 2 * n + 2 * i) + winner % 2;
                assertEquals(expected, source[i], kernels.name() + " window " + i);
                assertEquals(Float.floatToIntBits(x[expected]), Float.floatToIntBits(out[i]), kernels.name());
            }
        }
    }

    @ParameterizedTest(name = "n={0} rows={1}")
    @CsvSource({"1, 1", "7, 7", "14, 14", "15, 2", "16, 3", "17, 1", "33, 2", "100, 3"})
    void unpoolingWritesEachWindowAsTheScalarSpecificationDoes(int n, int rows) {
        // the sources of a real pooling (ties and NaN included), gradients with ±0 and NaN among them
        Random random = new Random(n * 7L + rows);
        int width = 2 * n + 1; // an odd width: the last column belongs to no window and stays untouched
        int top = 3;
        float[] x = new float[top + 2 * rows * width + 1];
        for (int i = 0; i < x.length; i++) {
            x[i] = random.nextInt(4) == 0 ? Float.NaN : random.nextInt(5);
        }
        float[] pooled = new float[rows * n + 2];
        int[] source = new int[rows * n + 2];
        SCALAR.maxPool2x2(x, top, width, rows, pooled, source, 2, n);
        float[] grad = new float[rows * n + 5];
        for (int i = 0; i < grad.length; i++) {
            int kind = random.nextInt(6);
            grad[i] = kind == 0 ? -0f : kind == 1 ? Float.NaN : (float) random.nextGaussian();
        }
        float[] expected = new float[x.length];
        Arrays.fill(expected, 9f);
        float[] actual = expected.clone();
        SCALAR.maxUnpool2x2(grad, 5, source, 2, n, rows, expected, top, width);
        SIMD.maxUnpool2x2(grad, 5, source, 2, n, rows, actual, top, width);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(Float.floatToIntBits(expected[i]), Float.floatToIntBits(actual[i]), "element " + i);
        }
        // the specification itself: the winner gets its gradient (−0 as +0), the rest of the window 0
        for (int r = 0; r < rows; r++) {
            for (int i = 0; i < n; i++) {
                int corner = top + 2 * r * width + 2 * i;
                for (int element : new int[] {corner, corner + 1, corner + width, corner + width + 1}) {
                    float want = element == source[2 + r * n + i] ? grad[5 + r * n + i] + 0f : 0f;
                    assertEquals(Float.floatToIntBits(want), Float.floatToIntBits(expected[element]));
                }
            }
            assertEquals(9f, expected[top + 2 * r * width + 2 * n], "the odd column is not written");
        }
    }
}
