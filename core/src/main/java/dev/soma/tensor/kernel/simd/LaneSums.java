package dev.soma.tensor.kernel.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * The sum of a vector's lanes in a fixed order: the same whether the caller runs interpreted or
 * compiled. {@code reduceLanes(ADD)} leaves its order unspecified, and C2's pairwise reduction and the
 * interpreter's lane-by-lane loop do round differently, so a result would depend on when the compiler
 * got to the caller, and one seed would not always give the same training.
 *
 * <p>The order is a rotation tree: add the vector rotated by half its lanes, then by a quarter, …,
 * down to one lane; lane 0 then holds the sum. Each step is one exactly specified lanewise add.
 */
final class LaneSums {

    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final int LANES = SPECIES.length();
    private static final VectorShuffle<Float> BY_HALF = rotation(LANES / 2);
    private static final VectorShuffle<Float> BY_QUARTER = rotation(LANES / 4);
    private static final VectorShuffle<Float> BY_EIGHTH = rotation(LANES / 8);
    private static final VectorShuffle<Float> BY_SIXTEENTH = rotation(LANES / 16);

    private LaneSums() {
    }

    static float sum(FloatVector v) {
        if (LANES > 16) { // wider than any float vector today: lane order, not vectorised
            float sum = 0;
            for (int lane = 0; lane < LANES; lane++) {
                sum += v.lane(lane);
            }
            return sum;
        }
        FloatVector s = v;
        if (LANES >= 2) {
            s = s.add(s.rearrange(BY_HALF));
        }
        if (LANES >= 4) {
            s = s.add(s.rearrange(BY_QUARTER));
        }
        if (LANES >= 8) {
            s = s.add(s.rearrange(BY_EIGHTH));
        }
        if (LANES >= 16) {
            s = s.add(s.rearrange(BY_SIXTEENTH));
        }
        return s.lane(0);
    }

    /** Lane i takes lane (i + by) mod LANES; {@code by} 0 (an unused step) is the identity. */
    private static VectorShuffle<Float> rotation(int by) {
        return VectorShuffle.fromOp(SPECIES, lane -> (lane + by) % LANES);
    }
}
