package dev.soma.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.soma.tensor.DType;
import dev.soma.tensor.Generator;
import dev.soma.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Assertions and reference loops for tensor tests: exact and toleranced value checks, every index of
 * a shape in row-major order, and reading a tensor at a broadcast position. The references use only
 * {@link Tensor#get}, so they do not share code with the ops they check.
 */
public final class TensorAssertions {

    private TensorAssertions() {
    }

    /** Fails unless {@code actual} has exactly {@code shape}. */
    public static void assertShape(Tensor actual, int... shape) {
        assertArrayEquals(shape, actual.shape(), () -> "shape of " + actual);
    }

    /**
     * Fails unless {@code actual} has {@code shape} and exactly these values in row-major order. NaN
     * matches NaN; 0 matches -0 (as {@code ==} does).
     */
    public static void assertValues(Tensor actual, int[] shape, float... expected) {
        assertShape(actual, shape);
        float[] values = actual.toArray();
        if (values.length != expected.length) {
            fail("expected " + expected.length + " values, got " + values.length);
        }
        for (int i = 0; i < values.length; i++) {
            if (!same(expected[i], values[i])) {
                fail("element " + i + ": expected " + expected[i] + ", got " + values[i] + "\nin " + Arrays.toString(values));
            }
        }
    }

    /** Fails unless {@code actual} has {@code dtype}, {@code shape} and exactly these values (integer or bool as 0/1). */
    public static void assertLongs(Tensor actual, DType dtype, int[] shape, long... expected) {
        if (actual.dtype() != dtype) {
            fail("expected a " + dtype + " tensor, got " + actual.dtype() + ": " + actual);
        }
        assertShape(actual, shape);
        assertArrayEquals(expected, actual.toLongArray(), () -> "values of " + actual);
    }

    /** Fails unless both tensors have the same shape and exactly the same values. */
    public static void assertSameValues(Tensor expected, Tensor actual) {
        assertValues(actual, expected.shape(), expected.toArray());
    }

    /**
     * Fails unless {@code actual} has {@code shape} and each value is within
     * {@code atol + rtol·|expected|} of the double reference (NaN must match NaN, infinities exactly).
     */
    public static void assertClose(Tensor actual, int[] shape, double[] expected, double rtol, double atol) {
        assertShape(actual, shape);
        float[] values = actual.toArray();
        if (values.length != expected.length) {
            fail("expected " + expected.length + " values, got " + values.length);
        }
        for (int i = 0; i < values.length; i++) {
            assertClose(expected[i], values[i], rtol, atol, "element " + i);
        }
    }

    /** Fails unless {@code actual} is within {@code atol + rtol·|expected|} of {@code expected}. */
    public static void assertClose(double expected, double actual, double rtol, double atol, String what) {
        boolean ok;
        if (Double.isNaN(expected) || Double.isInfinite(expected)) {
            ok = Double.isNaN(expected) ? Double.isNaN(actual) : expected == actual;
        } else {
            ok = Math.abs(actual - expected) <= atol + rtol * Math.abs(expected);
        }
        if (!ok) {
            fail(what + ": expected " + expected + " (±" + (atol + rtol * Math.abs(expected)) + "), got " + actual);
        }
    }

    private static boolean same(float expected, float actual) {
        return expected == actual || (Float.isNaN(expected) && Float.isNaN(actual));
    }

    /** Every index of {@code shape}, last dimension fastest (one empty index for rank 0). */
    public static List<int[]> indices(int... shape) {
        List<int[]> out = new ArrayList<>();
        for (int size : shape) {
            if (size == 0) {
                return out;
            }
        }
        int[] index = new int[shape.length];
        while (true) {
            out.add(index.clone());
            int d = shape.length - 1;
            while (d >= 0 && ++index[d] == shape[d]) {
                index[d] = 0;
                d--;
            }
            if (d < 0) {
                return out;
            }
        }
    }

    /**
     * The element of {@code t} that broadcasting places at {@code outIndex} of a larger shape: leading
     * output dimensions are dropped and size-1 dimensions read index 0.
     */
    public static float broadcastGet(Tensor t, int[] outIndex) {
        int[] shape = t.shape();
        int lead = outIndex.length - shape.length;
        int[] index = new int[shape.length];
        for (int d = 0; d < shape.length; d++) {
            index[d] = shape[d] == 1 ? 0 : outIndex[d + lead];
        }
        return t.get(index);
    }

    /** Standard normal values of {@code shape} from {@code seed}, times {@code scale}. */
    public static Tensor seeded(long seed, float scale, int... shape) {
        return Tensor.randn(new Generator(seed), shape).mul(scale);
    }

    /** The values as doubles, row-major. */
    public static double[] doubles(Tensor t) {
        float[] values = t.toArray();
        double[] out = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i];
        }
        return out;
    }
}
