package dev.soma.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.soma.tensor.Generator;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The 2-D toy sets: shapes, balance, determinism, and each one's geometry with the noise off. */
class ToySetsTest {

    static final java.util.List<String> NAMES = ToySets.NAMES;

    private static float[][] points(TensorDataset data) {
        float[] flat = data.inputs().toArray();
        float[][] points = new float[data.size()][];
        for (int i = 0; i < points.length; i++) {
            points[i] = new float[] {flat[2 * i], flat[2 * i + 1]};
        }
        return points;
    }

    @ParameterizedTest
    @FieldSource("NAMES")
    void shapesAndClassIndices(String name) {
        for (int n : new int[] {0, 1, 2, 3, 7, 200}) {
            TensorDataset data = ToySets.of(name, n, 0.1, new Generator(1));
            assertArrayEquals(new int[] {n, 2}, data.inputs().shape(), name + " n=" + n);
            assertArrayEquals(new int[] {n}, data.targets().shape());
            for (float target : data.targets().toArray()) {
                assertTrue(target == 0 || target == 1, name + ": target " + target);
            }
            for (float value : data.inputs().toArray()) {
                assertTrue(Float.isFinite(value), name);
            }
        }
    }

    @ParameterizedTest
    @FieldSource("NAMES")
    void theSameSeedGivesTheSamePoints(String name) {
        float[] a = ToySets.of(name, 101, 0.2, new Generator(5)).inputs().toArray();
        float[] b = ToySets.of(name, 101, 0.2, new Generator(5)).inputs().toArray();
        float[] c = ToySets.of(name, 101, 0.2, new Generator(6)).inputs().toArray();
        assertArrayEquals(a, b);
        assertFalse(Arrays.equals(a, c), name + ": another seed gave the same points");
        assertArrayEquals(ToySets.of(name, 101, 0.2, new Generator(5)).targets().toArray(),
                ToySets.of(name, 101, 0.2, new Generator(6)).targets().toArray(), "labels depend only on n");
    }

    @ParameterizedTest
    @ValueSource(strings = {"circle", "spiral", "gaussians", "moons"})
    void twoClassSetsAreBalanced(String name) {
        for (int n : new int[] {100, 101}) {
            float[] targets = ToySets.of(name, n, 0.1, new Generator(2)).targets().toArray();
            int ones = 0;
            for (float target : targets) {
                ones += (int) target;
            }
            assertEquals(n / 2, ones, name + " n=" + n);
        }
    }

    @Test
    void gatesPutEqualCloudsOnTheCornersLabelledByTheGate() {
        int[][] truth = {{0, 0, 0, 1}, {0, 1, 1, 1}, {0, 1, 1, 0}}; // and, or, xor at (0,0), (0,1), (1,0), (1,1)
        String[] gates = {"and", "or", "xor"};
        for (int g = 0; g < 3; g++) {
            TensorDataset data = ToySets.of(gates[g], 40, 0, new Generator(3));
            float[][] points = points(data);
            float[] targets = data.targets().toArray();
            int[] perCorner = new int[4];
            for (int i = 0; i < points.length; i++) {
                int corner = 2 * (int) points[i][0] + (int) points[i][1];
                assertTrue(points[i][0] == 0 || points[i][0] == 1, "x of point " + i + " is " + points[i][0]);
                assertTrue(points[i][1] == 0 || points[i][1] == 1, "y of point " + i + " is " + points[i][1]);
                assertEquals(truth[g][corner], (int) targets[i], gates[g] + " at corner " + corner);
                perCorner[corner]++;
            }
            assertArrayEquals(new int[] {10, 10, 10, 10}, perCorner);
        }
    }

    @Test
    void gateNoiseHasTheRequestedSpread() {
        float[][] points = points(ToySets.xor(4000, 0.3, new Generator(4)));
        double sum = 0;
        double squares = 0;
        for (int i = 0; i < points.length; i++) {
            int corner = i % 4;
            double dx = points[i][0] - (corner >> 1);
            sum += dx;
            squares += dx * dx;
        }
        double mean = sum / points.length;
        double std = Math.sqrt(squares / points.length - mean * mean);
        assertEquals(0, mean, 0.03);
        assertEquals(0.3, std, 0.02);
    }

    @Test
    void circleClassesAreSeparatedByRadius() {
        TensorDataset data = ToySets.circle(1000, 0, new Generator(7));
        float[][] points = points(data);
        float[] targets = data.targets().toArray();
        double innerMax = 0;
        double outerMin = 2;
        double outerMax = 0;
        for (int i = 0; i < points.length; i++) {
            double r = Math.hypot(points[i][0], points[i][1]);
            if (targets[i] == 0) {
                innerMax = Math.max(innerMax, r);
            } else {
                outerMin = Math.min(outerMin, r);
                outerMax = Math.max(outerMax, r);
            }
        }
        assertTrue(innerMax <= 0.5 + 1e-6 && innerMax > 0.45, "inner disc reaches " + innerMax);
        assertTrue(outerMin >= 0.7 - 1e-6 && outerMin < 0.75, "ring starts at " + outerMin);
        assertTrue(outerMax <= 1 + 1e-6 && outerMax > 0.95, "ring ends at " + outerMax);
    }

    @Test
    void spiralPointsLieOnTheirArms() {
        TensorDataset data = ToySets.spiral(200, 0, new Generator(8));
        float[][] points = points(data);
        float[] targets = data.targets().toArray();
        for (int i = 0; i < points.length; i++) {
            double t = Math.hypot(points[i][0], points[i][1]); // r = t
            double angle = 3.5 * Math.PI * t + targets[i] * Math.PI;
            assertEquals(t * Math.cos(angle), points[i][0], 1e-4, "point " + i);
            assertEquals(t * Math.sin(angle), points[i][1], 1e-4, "point " + i);
        }
        // The arms are point reflections of each other: point 2j+1 = -(point 2j).
        assertEquals(-points[50][0], points[51][0], 1e-6);
        assertEquals(-points[50][1], points[51][1], 1e-6);
        assertEquals(1, Math.hypot(points[198][0], points[198][1]), 1e-6, "the arms end at r = 1");
    }

    @Test
    void gaussiansAreCentredWithTheNoiseAsStd() {
        TensorDataset data = ToySets.gaussians(4000, 0.5, new Generator(9));
        float[][] points = points(data);
        double[] sum = new double[2];
        double[] squares = new double[2];
        for (int i = 0; i < points.length; i++) {
            int label = (int) data.targets().get(i);
            assertEquals(i % 2, label);
            double dx = points[i][0] - (label == 0 ? -1 : 1);
            sum[label] += points[i][0] + points[i][1];
            squares[label] += dx * dx;
        }
        assertEquals(-2, sum[0] / 2000, 0.05);
        assertEquals(2, sum[1] / 2000, 0.05);
        assertEquals(0.5, Math.sqrt(squares[0] / 2000), 0.03);
        float[][] exact = points(ToySets.gaussians(4, 0, new Generator(9)));
        assertArrayEquals(new float[] {-1, -1}, exact[0]);
        assertArrayEquals(new float[] {1, 1}, exact[3]);
    }

    @Test
    void moonsLieOnTheirHalfCircles() {
        TensorDataset data = ToySets.moons(100, 0, new Generator(10));
        float[][] points = points(data);
        float[] targets = data.targets().toArray();
        for (int i = 0; i < points.length; i++) {
            float x = points[i][0];
            float y = points[i][1];
            if (targets[i] == 0) { // upper half of the unit circle around (0, 0)
                assertEquals(1, Math.hypot(x, y), 1e-6, "point " + i);
                assertTrue(y >= -1e-6, "point " + i + " below the upper moon's diameter: " + y);
            } else { // lower half of the unit circle around (1, 0.5)
                assertEquals(1, Math.hypot(x - 1, y - 0.5), 1e-6, "point " + i);
                assertTrue(y <= 0.5 + 1e-6, "point " + i + " above the lower moon's diameter: " + y);
            }
        }
        // The ends, as make_moons: (1, 0) to (-1, 0) and (0, 0.5) to (2, 0.5).
        assertArrayEquals(new float[] {1, 0}, points[0], 1e-6f);
        assertArrayEquals(new float[] {-1, 0}, points[98], 1e-6f);
        assertArrayEquals(new float[] {0, 0.5f}, points[1], 1e-6f);
        assertArrayEquals(new float[] {2, 0.5f}, points[99], 1e-6f);
    }

    @Test
    void unknownNamesListTheValidOnes() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> ToySets.of("swiss-roll", 10, 0, new Generator(1)));
        assertEquals("unknown toy data set 'swiss-roll' (expected one of and, or, xor, circle, spiral, gaussians, moons)",
                error.getMessage());
    }

    @Test
    void badArgumentsAreRejectedWithTheirValue() {
        IllegalArgumentException count = assertThrows(IllegalArgumentException.class,
                () -> ToySets.moons(-1, 0, new Generator(1)));
        assertTrue(count.getMessage().contains("got -1"), count.getMessage());
        IllegalArgumentException noise = assertThrows(IllegalArgumentException.class,
                () -> ToySets.circle(10, -0.5, new Generator(1)));
        assertTrue(noise.getMessage().contains("got -0.5"), noise.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ToySets.xor(10, Double.NaN, new Generator(1)));
    }
}
