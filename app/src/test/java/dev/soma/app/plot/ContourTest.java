package dev.soma.app.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ContourTest {

    @Test
    void valuesRisingWithXCrossHalfAtTheMiddle() {
        // v = (x - 0)/4 on x in [0, 4], 5 columns, 3 rows: the 0.5 line is x = 2, from y = -1 to y = 1.
        double[][] values = new double[3][5];
        for (double[] row : values) {
            for (int c = 0; c < 5; c++) {
                row[c] = c / 4.0;
            }
        }
        List<double[]> segments = Contour.segments(values, 0.5, 0, 4, -1, 1);
        assertEquals(2, segments.size());
        double lowest = Double.POSITIVE_INFINITY;
        double highest = Double.NEGATIVE_INFINITY;
        for (double[] s : segments) {
            assertEquals(2, s[0], 1e-12);
            assertEquals(2, s[2], 1e-12);
            lowest = Math.min(lowest, Math.min(s[1], s[3]));
            highest = Math.max(highest, Math.max(s[1], s[3]));
        }
        assertEquals(-1, lowest, 1e-12);
        assertEquals(1, highest, 1e-12);
    }

    @Test
    void crossingIsInterpolatedLinearly() {
        // One cell, 0 at the left and 1 at the right: level 0.25 sits a quarter of the way across.
        double[][] values = {{0, 1}, {0, 1}};
        List<double[]> segments = Contour.segments(values, 0.25, 10, 14, 0, 1);
        assertEquals(1, segments.size());
        assertEquals(11, segments.getFirst()[0], 1e-12);
        assertEquals(11, segments.getFirst()[2], 1e-12);
    }

    @Test
    void circleContourStaysNearTheCircle() {
        // v = x² + y² on [-1, 1]², level 0.25: every crossing lies close to radius 0.5.
        int n = 41;
        double[][] values = new double[n][n];
        for (int r = 0; r < n; r++) {
            for (int c = 0; c < n; c++) {
                double x = -1 + 2.0 * c / (n - 1);
                double y = -1 + 2.0 * r / (n - 1);
                values[r][c] = x * x + y * y;
            }
        }
        List<double[]> segments = Contour.segments(values, 0.25, -1, 1, -1, 1);
        assertTrue(segments.size() > 20, "only " + segments.size() + " segments");
        double length = 0;
        for (double[] s : segments) {
            assertEquals(0.5, Math.hypot(s[0], s[1]), 0.01);
            assertEquals(0.5, Math.hypot(s[2], s[3]), 0.01);
            length += Math.hypot(s[2] - s[0], s[3] - s[1]);
        }
        assertEquals(Math.PI, length, 0.05, "circumference of radius 0.5");
    }

    @Test
    void saddleIsResolvedByTheCentre() {
        // Corners in at bottom-left and top-right. Mean 0.55 ≥ 0.5: the centre is in, so the
        // segments cut off the two out corners, bottom-right and top-left.
        double[][] high = {{1, 0.1}, {0.1, 1}};
        List<double[]> in = Contour.segments(high, 0.5, 0, 1, 0, 1);
        assertEquals(2, in.size());
        for (double[] s : in) {
            double midX = (s[0] + s[2]) / 2;
            double midY = (s[1] + s[3]) / 2;
            assertTrue((midX > 0.5) != (midY > 0.5), "segment should cut off an off-diagonal corner");
        }
        // Mean 0.45 < 0.5: the centre is out, so the in corners are cut off.
        double[][] low = {{0.9, 0}, {0, 0.9}};
        List<double[]> out = Contour.segments(low, 0.5, 0, 1, 0, 1);
        assertEquals(2, out.size());
        for (double[] s : out) {
            double midX = (s[0] + s[2]) / 2;
            double midY = (s[1] + s[3]) / 2;
            assertTrue((midX > 0.5) == (midY > 0.5), "segment should cut off a diagonal corner");
        }
    }

    @Test
    void cellsTouchingNaNAreSkipped() {
        double[][] values = {{0, 1, 0}, {0, Double.NaN, 0}};
        assertEquals(List.of(), Contour.segments(values, 0.5, 0, 2, 0, 1));
        double[][] half = {{0, 1, 1}, {0, 1, Double.NaN}};
        assertEquals(1, Contour.segments(half, 0.5, 0, 2, 0, 1).size());
    }

    @Test
    void gridsWithoutCellsGiveNoSegments() {
        assertEquals(0, Contour.segments(new double[0][], 0.5, 0, 1, 0, 1).size());
        assertEquals(0, Contour.segments(new double[][] {{0, 1, 0}}, 0.5, 0, 1, 0, 1).size());
        assertEquals(0, Contour.segments(new double[][] {{0}, {1}}, 0.5, 0, 1, 0, 1).size());
        assertEquals(0, Contour.segments(new double[][] {{0.2, 0.3}, {0.1, 0.4}}, 0.5, 0, 1, 0, 1).size());
    }
}
