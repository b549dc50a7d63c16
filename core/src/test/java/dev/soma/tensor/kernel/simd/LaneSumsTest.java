package dev.soma.tensor.kernel.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.junit.jupiter.api.Test;

/** LaneSums against the same rotation tree written out lane by lane in scalar code. */
class LaneSumsTest {

    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;

    /** Step by step: after rotating by r, lane i holds s[i] + s[(i + r) mod L]. */
    private static float tree(float[] lanes) {
        float[] s = lanes.clone();
        for (int by = s.length / 2; by >= 1; by /= 2) {
            float[] next = new float[s.length];
            for (int i = 0; i < s.length; i++) {
                next[i] = s[i] + s[(i + by) % s.length];
            }
            s = next;
        }
        return s[0];
    }

    @Test
    void sumsInTheRotationTreesOrderBitForBit() {
        Random random = new Random(7);
        for (int trial = 0; trial < 1000; trial++) {
            float[] lanes = new float[SPECIES.length()];
            for (int i = 0; i < lanes.length; i++) {
                lanes[i] = (float) (random.nextGaussian() * Math.pow(10, random.nextInt(9) - 4));
            }
            float expected = tree(lanes);
            assertEquals(Float.floatToIntBits(expected),
                    Float.floatToIntBits(LaneSums.sum(FloatVector.fromArray(SPECIES, lanes, 0))), "trial " + trial);
        }
    }

    @Test
    void exactSumsAreExact() {
        float[] lanes = new float[SPECIES.length()];
        for (int i = 0; i < lanes.length; i++) {
            lanes[i] = i + 1;
        }
        assertEquals(lanes.length * (lanes.length + 1) / 2f, LaneSums.sum(FloatVector.fromArray(SPECIES, lanes, 0)));
    }
}
