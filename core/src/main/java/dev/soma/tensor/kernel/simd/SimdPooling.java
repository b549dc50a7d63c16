package dev.soma.tensor.kernel.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * 2×2 max pooling with stride 2, a vector of outputs at a time.
 *
 * <p>Two loads of a row hold the pairs of {@code L} windows (L = lanes); a two-vector rearrange takes
 * their even lanes (each window's left element) and odd lanes (its right element). The four
 * candidates are then folded by PyTorch's running rule, {@code v > best || isnan(v)}, as lane masks:
 * no branch depends on the data (with a scalar loop, which element wins is random from window to
 * window, and each misprediction costs more than the window's work). The winner's index in x is
 * carried along in an int vector of the same lane count.
 */
final class SimdPooling {

    private static final VectorSpecies<Float> FLOATS = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Integer> INTS = VectorSpecies.of(int.class, FLOATS.vectorShape());
    private static final int LANES = FLOATS.length();
    /** Lanes 0, 2, 4, …: indices past the first vector wrap to exceptional ones, which pick the second. */
    private static final VectorShuffle<Float> EVEN = VectorShuffle.fromOp(FLOATS, lane -> 2 * lane);
    private static final VectorShuffle<Float> ODD = VectorShuffle.fromOp(FLOATS, lane -> 2 * lane + 1);
    /** Lanes 0, L, 1, L+1, …: the first halves of two vectors interleaved (L marks the second vector). */
    private static final VectorShuffle<Float> ZIP_LOW = VectorShuffle.fromOp(FLOATS,
            lane -> lane % 2 == 0 ? lane / 2 : lane / 2 - LANES);
    /** The second halves of two vectors interleaved. */
    private static final VectorShuffle<Float> ZIP_HIGH = VectorShuffle.fromOp(FLOATS,
            lane -> lane % 2 == 0 ? LANES / 2 + lane / 2 : LANES / 2 + lane / 2 - LANES);

    private SimdPooling() {
    }

    /**
     * The masks of a column of vectors are the same in every row, so the loop over rows is inside: a
     * 28-pixel row has 14 windows, one partial vector, whose masks are made once per plane.
     */
    static void maxPool2x2(float[] x, int top, int width, int rows, float[] out, int[] source, int outOffset, int n) {
        IntVector twice = IntVector.zero(INTS).addIndex(2); // 0, 2, 4, … : each window's offset in its row
        for (int i = 0; i < n; i += LANES) {
            // Masks cover a last, partial vector of windows.
            VectorMask<Float> left = FLOATS.indexInRange(2 * i, 2 * n);
            VectorMask<Float> right = FLOATS.indexInRange(2 * i + LANES, 2 * n);
            VectorMask<Float> outputs = FLOATS.indexInRange(i, n);
            VectorMask<Integer> sources = outputs.cast(INTS);
            for (int r = 0; r < rows; r++) {
                int t = top + 2 * r * width + 2 * i;
                int b = t + width;
                FloatVector t0 = FloatVector.fromArray(FLOATS, x, t, left);
                FloatVector t1 = FloatVector.fromArray(FLOATS, x, t + LANES, right);
                FloatVector b0 = FloatVector.fromArray(FLOATS, x, b, left);
                FloatVector b1 = FloatVector.fromArray(FLOATS, x, b + LANES, right);
                FloatVector best = t0.rearrange(EVEN, t1);
                IntVector at = twice.add(t);
                FloatVector v = t0.rearrange(ODD, t1);
                VectorMask<Float> wins = v.compare(VectorOperators.GT, best).or(v.test(VectorOperators.IS_NAN));
                best = best.blend(v, wins);
                at = at.blend(twice.add(t + 1), wins.cast(INTS));
                v = b0.rearrange(EVEN, b1);
                wins = v.compare(VectorOperators.GT, best).or(v.test(VectorOperators.IS_NAN));
                best = best.blend(v, wins);
                at = at.blend(twice.add(b), wins.cast(INTS));
                v = b0.rearrange(ODD, b1);
                wins = v.compare(VectorOperators.GT, best).or(v.test(VectorOperators.IS_NAN));
                best = best.blend(v, wins);
                at = at.blend(twice.add(b + 1), wins.cast(INTS));
                int o = outOffset + r * n + i;
                best.intoArray(out, o, outputs);
                at.intoArray(source, o, sources);
            }
        }
    }

    /**
     * The inverse of {@link #maxPool2x2}: for a vector of windows, each of its four elements gets the
     * gradient where the source index names it and 0 elsewhere, by lane masks; the top row is the
     * left and right elements interleaved, two vectors of it (likewise the bottom row).
     */
    static void maxUnpool2x2(float[] grad, int gradOffset, int[] source, int sourceOffset, int n, int rows, float[] x,
                             int top, int width) {
        IntVector twice = IntVector.zero(INTS).addIndex(2);
        FloatVector zero = FloatVector.zero(FLOATS);
        for (int i = 0; i < n; i += LANES) {
            VectorMask<Float> left = FLOATS.indexInRange(2 * i, 2 * n);
            VectorMask<Float> right = FLOATS.indexInRange(2 * i + LANES, 2 * n);
            VectorMask<Float> windows = FLOATS.indexInRange(i, n);
            VectorMask<Integer> sources = windows.cast(INTS);
            for (int r = 0; r < rows; r++) {
                int t = top + 2 * r * width + 2 * i;
                int b = t + width;
                FloatVector g = FloatVector.fromArray(FLOATS, grad, gradOffset + r * n + i, windows).add(0f);
                IntVector at = IntVector.fromArray(INTS, source, sourceOffset + r * n + i, sources);
                IntVector corner = twice.add(t);
                FloatVector topLeft = zero.blend(g, at.eq(corner).cast(FLOATS));
                FloatVector topRight = zero.blend(g, at.eq(corner.add(1)).cast(FLOATS));
                FloatVector bottomLeft = zero.blend(g, at.eq(corner.add(width)).cast(FLOATS));
                FloatVector bottomRight = zero.blend(g, at.eq(corner.add(width + 1)).cast(FLOATS));
                topLeft.rearrange(ZIP_LOW, topRight).intoArray(x, t, left);
                topLeft.rearrange(ZIP_HIGH, topRight).intoArray(x, t + LANES, right);
                bottomLeft.rearrange(ZIP_LOW, bottomRight).intoArray(x, b, left);
                bottomLeft.rearrange(ZIP_HIGH, bottomRight).intoArray(x, b + LANES, right);
            }
        }
    }
}
