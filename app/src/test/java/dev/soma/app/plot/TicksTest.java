package dev.soma.app.plot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TicksTest {

    @Test
    void unitRangeStepsByTwoTenths() {
        Ticks ticks = Ticks.nice(0, 1, 5);
        assertEquals(0.2, ticks.step(), 1e-15);
        assertArrayEquals(new double[] {0, 0.2, 0.4, 0.6, 0.8, 1.0}, ticks.values(), 1e-12);
        assertEquals(List.of("0.0", "0.2", "0.4", "0.6", "0.8", "1.0"), labels(ticks));
    }

    @Test
    void symmetricPiRangeStepsByOneAndIncludesZero() {
        Ticks ticks = Ticks.nice(-3.14, 3.14, 5);
        assertEquals(1, ticks.step(), 1e-15);
        assertArrayEquals(new double[] {-3, -2, -1, 0, 1, 2, 3}, ticks.values(), 1e-12);
        assertEquals(List.of("-3", "-2", "-1", "0", "1", "2", "3"), labels(ticks));
    }

    @Test
    void awkwardUpperEndStepsByTwoHundred() {
        Ticks ticks = Ticks.nice(0, 937, 5);
        assertEquals(200, ticks.step(), 1e-12);
        assertArrayEquals(new double[] {0, 200, 400, 600, 800}, ticks.values(), 1e-9);
        assertEquals("800", ticks.label(800));
    }

    @Test
    void moreTicksWantedGiveSmallerSteps() {
        assertEquals(100, Ticks.nice(0, 937, 10).step(), 1e-12);
        assertEquals(0.1, Ticks.nice(0, 1, 10).step(), 1e-15);
        assertEquals(0.5, Ticks.nice(0, 1, 2).step(), 1e-15);
        assertEquals(2, Ticks.nice(-3.14, 3.14, 2).step(), 1e-15, "6.28 / 2 = 3.14 < √10, nearer 2 than 5");
        assertEquals(5, Ticks.nice(-3.14, 3.14, 1).step(), 1e-15);
    }

    @Test
    void endsOnATickSurviveRounding() {
        // 0.7 / 0.1 is 6.999999999999999 in double; the tick at 0.7 must still be there.
        Ticks ticks = Ticks.nice(0, 0.7, 7);
        assertEquals(0.1, ticks.step(), 1e-15);
        assertEquals(8, ticks.values().length, Arrays.toString(ticks.values()));
        assertEquals(0.7, ticks.values()[7], 1e-12);
    }

    @Test
    void randomRangesGiveOneTwoFiveStepsInsideTheRange() {
        Random random = new Random(42);
        for (int trial = 0; trial < 2000; trial++) {
            double scale = Math.pow(10, random.nextInt(17) - 8);
            double min = (random.nextDouble() * 2 - 1) * scale;
            double max = min + random.nextDouble() * scale + 1e-3 * scale;
            int target = 2 + random.nextInt(9);
            Ticks ticks = Ticks.nice(min, max, target);
            String where = "[" + min + ", " + max + "] target " + target;

            double mantissa = ticks.step() / Math.pow(10, Math.floor(Math.log10(ticks.step()) + 1e-9));
            assertTrue(Math.abs(mantissa - 1) < 1e-6 || Math.abs(mantissa - 2) < 1e-6 || Math.abs(mantissa - 5) < 1e-6,
                    "step " + ticks.step() + " for " + where);
            double[] values = ticks.values();
            int expected = (int) ((max - min) / ticks.step());
            assertTrue(values.length >= expected && values.length <= expected + 1, values.length + " ticks for " + where);
            assertTrue(values.length >= target / 2 && values.length <= 2 * target + 1, values.length + " ticks for " + where);
            for (int i = 0; i < values.length; i++) {
                double slack = 1e-9 * ticks.step();
                assertTrue(values[i] >= min - slack && values[i] <= max + slack, values[i] + " outside " + where);
                assertEquals(0, Math.IEEEremainder(values[i], ticks.step()), 1e-6 * ticks.step(), "not a multiple, " + where);
                if (i > 0) {
                    assertEquals(ticks.step(), values[i] - values[i - 1], 1e-6 * ticks.step(), where);
                }
            }
        }
    }

    @Test
    void hugeAndTinyTicksShareOnePowerOfTen() {
        assertEquals(List.of("0", "0.5e7", "1.0e7", "1.5e7", "2.0e7"), labels(Ticks.nice(0, 2e7, 4)));
        assertEquals(List.of("1e-5", "2e-5", "3e-5"), labels(Ticks.nice(1e-5, 3e-5, 2)));
    }

    @Test
    void negativeZeroIsNeverPrinted() {
        for (Ticks ticks : List.of(Ticks.nice(-1, 1, 4), Ticks.nice(-0.3, 0.3, 6), Ticks.nice(-0.7, 0.2, 9))) {
            for (String label : labels(ticks)) {
                assertFalse(label.matches("-0(\\.0*)?"), label);
            }
        }
        assertEquals("0.0", Ticks.nice(-1, 1, 4).label(0.0));
    }

    @Test
    void rejectsEmptyOrInfiniteRanges() {
        assertThrows(IllegalArgumentException.class, () -> Ticks.nice(1, 1, 5));
        assertThrows(IllegalArgumentException.class, () -> Ticks.nice(2, 1, 5));
        assertThrows(IllegalArgumentException.class, () -> Ticks.nice(0, Double.POSITIVE_INFINITY, 5));
        assertThrows(IllegalArgumentException.class, () -> Ticks.nice(Double.NaN, 1, 5));
        assertThrows(IllegalArgumentException.class, () -> Ticks.nice(0, 1, 0));
    }

    private static List<String> labels(Ticks ticks) {
        return Arrays.stream(ticks.values()).mapToObj(ticks::label).toList();
    }
}
