package dev.soma.app.plot;

import static dev.soma.app.plot.Pixels.atData;
import static dev.soma.app.plot.Pixels.blueish;
import static dev.soma.app.plot.Pixels.coloured;
import static dev.soma.app.plot.Pixels.colouredNear;
import static dev.soma.app.plot.Pixels.countIn;
import static dev.soma.app.plot.Pixels.countNear;
import static dev.soma.app.plot.Pixels.dark;
import static dev.soma.app.plot.Pixels.distance;
import static dev.soma.app.plot.Pixels.orangeish;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;

class ChartTest {

    private static final int W = 640;
    private static final int H = 480;

    // ---- heatmap ----

    @Test
    void heatmapOfZerosIsBlueInsideThePlotAreaOnly() {
        Chart chart = new Chart("zeros", "x", "y").heatmap(0, 1, 0, 1, new double[][] {{0, 0}, {0, 0}});
        BufferedImage image = chart.render(W, H);
        Viewport view = chart.viewport(W, H);
        for (double x : new double[] {0.05, 0.33, 0.71, 0.95}) {
            for (double y : new double[] {0.07, 0.52, 0.93}) {
                Color c = atData(image, view, x, y);
                assertTrue(blueish(c), "at (" + x + ", " + y + "): " + c);
            }
        }
        assertEquals(Color.WHITE, Pixels.at(image, 2, 2), "outside the plot area");
        assertEquals(Color.WHITE, Pixels.at(image, W - 3, H - 3), "outside the plot area");
    }

    @Test
    void heatmapOfOnesIsOrange() {
        Chart chart = new Chart("ones", "x", "y").heatmap(0, 1, 0, 1, new double[][] {{1, 1}, {1, 1}});
        BufferedImage image = chart.render(W, H);
        Viewport view = chart.viewport(W, H);
        for (double x : new double[] {0.05, 0.5, 0.95}) {
            for (double y : new double[] {0.05, 0.5, 0.95}) {
                Color c = atData(image, view, x, y);
                assertTrue(orangeish(c), "at (" + x + ", " + y + "): " + c);
            }
        }
    }

    @Test
    void heatmapRowZeroIsAtTheBottomAndColumnZeroAtTheLeft() {
        Chart rows = new Chart("", "", "").heatmap(0, 1, 0, 1, new double[][] {{0, 0}, {1, 1}});
        BufferedImage image = rows.render(W, H);
        Viewport view = rows.viewport(W, H);
        assertTrue(blueish(atData(image, view, 0.4, 0.03)), "bottom");
        assertTrue(orangeish(atData(image, view, 0.4, 0.97)), "top");

        Chart columns = new Chart("", "", "").heatmap(0, 1, 0, 1, new double[][] {{0, 1}, {0, 1}});
        image = columns.render(W, H);
        view = columns.viewport(W, H);
        assertTrue(blueish(atData(image, view, 0.03, 0.4)), "left");
        assertTrue(orangeish(atData(image, view, 0.97, 0.4)), "right");
    }

    @Test
    void heatmapInterpolatesToWhiteHalfway() {
        Chart chart = new Chart("", "", "").heatmap(0, 1, 0, 1, new double[][] {{0, 1}, {0, 1}});
        BufferedImage image = chart.render(W, H);
        Viewport view = chart.viewport(W, H);
        // Two pixels right of x = 0.5, off the grid lines (ticks are multiples of at least 0.1).
        Color middle = Pixels.at(image, view.px(0.5) + 2, view.py(0.45));
        assertTrue(middle.getRed() > 235 && middle.getGreen() > 235 && middle.getBlue() > 235, middle.toString());
    }

    @Test
    void heatmapNaNIsLeftBlank() {
        Chart chart = new Chart("", "", "").heatmap(0, 1, 0, 1, new double[][] {{Double.NaN}});
        BufferedImage image = chart.render(W, H);
        Color c = atData(image, chart.viewport(W, H), 0.3, 0.3);
        assertFalse(coloured(c), c.toString());
    }

    @Test
    void contourDrawsTheHalfLevelLine() {
        double[][] values = {{0, 1}, {0, 1}};
        Chart without = new Chart("", "", "").heatmap(0, 1, 0, 1, values);
        Chart with = new Chart("", "", "").heatmap(0, 1, 0, 1, values).contour(0.5);
        Viewport view = with.viewport(W, H);
        double x = view.px(0.5);
        double y = view.py(0.3);
        assertTrue(countNear(with.render(W, H), x, y, 1, Pixels::dark) > 0, "contour at x = 0.5");
        assertEquals(0, countNear(without.render(W, H), x, y, 1, Pixels::dark), "no contour asked for");
    }

    // ---- lines and points ----

    @Test
    void lineFromOriginToOneRunsAlongTheDiagonal() {
        Chart chart = new Chart("line", "x", "y").line(null, new double[] {0, 1}, new double[] {0, 1});
        BufferedImage image = chart.render(W, H);
        Viewport view = chart.viewport(W, H);
        for (double t = 0.05; t < 1; t += 0.1) {
            assertTrue(colouredNear(image, view.px(t), view.py(t), 1), "no ink at t = " + t);
        }
        assertFalse(colouredNear(image, view.px(0.9), view.py(0.1), 15), "ink in the bottom-right corner");
        assertFalse(colouredNear(image, view.px(0.1), view.py(0.9), 15), "ink in the top-left corner");
    }

    @Test
    void dashedLineHasGapsAndSolidLineHasNone() {
        double[] xs = {0, 1};
        double[] ys = {0, 1};
        Chart solid = new Chart("", "", "").line(null, xs, ys);
        Chart dashed = new Chart("", "", "").dashedLine(null, xs, ys);
        Viewport view = solid.viewport(W, H);
        BufferedImage solidImage = solid.render(W, H);
        BufferedImage dashedImage = dashed.render(W, H);
        int samples = 400;
        int solidInk = 0;
        int dashedInk = 0;
        for (int i = 0; i < samples; i++) {
            double t = 0.05 + 0.9 * i / samples;
            solidInk += coloured(Pixels.at(solidImage, view.px(t), view.py(t))) ? 1 : 0;
            dashedInk += coloured(Pixels.at(dashedImage, view.px(t), view.py(t))) ? 1 : 0;
        }
        assertEquals(samples, solidInk);
        assertTrue(dashedInk > samples * 0.3 && dashedInk < samples * 0.85, dashedInk + " of " + samples);
    }

    @Test
    void linesGetDistinctPaletteColours() {
        double[] xs = {0, 1};
        Chart chart = new Chart("", "", "")
                .line("a", xs, new double[] {0.2, 0.2})
                .line("b", xs, new double[] {0.8, 0.8});
        BufferedImage image = chart.render(W, H);
        Viewport view = chart.viewport(W, H);
        Color a = atData(image, view, 0.3, 0.2);
        Color b = atData(image, view, 0.3, 0.8);
        assertTrue(distance(a, Palette.SERIES[0]) < 70, a.toString());
        assertTrue(distance(b, Palette.SERIES[1]) < 70, b.toString());
        assertTrue(distance(a, b) > 100, a + " vs " + b);
    }

    @Test
    void nonFiniteValuesBreakTheLine() {
        double[] xs = {0, 0.25, 0.5, 0.75, 1};
        double[] ys = {0, 0.25, Double.NaN, 0.75, 1};
        Chart chart = new Chart("", "", "").line(null, xs, ys);
        BufferedImage image = chart.render(W, H);
        Viewport view = chart.viewport(W, H);
        assertTrue(colouredNear(image, view.px(0.125), view.py(0.125), 1), "first piece");
        assertTrue(colouredNear(image, view.px(0.875), view.py(0.875), 1), "last piece");
        assertFalse(colouredNear(image, view.px(0.5), view.py(0.5), 4), "the gap at the NaN");
    }

    @Test
    void scatterByClassUsesOneColourPerClassWithBlackOutline() {
        double[] xs = {0, 1, 0.5, 0.2};
        double[] ys = {0, 0.5, 1, 0.3};
        int[] classes = {0, 1, 2, 0};
        Chart chart = new Chart("classes", "x", "y").scatterByClass(xs, ys, classes);
        BufferedImage image = chart.render(W, H);
        Viewport view = chart.viewport(W, H);
        Color[] centres = new Color[4];
        for (int i = 0; i < 4; i++) {
            centres[i] = atData(image, view, xs[i], ys[i]);
            Color expected = Palette.SERIES[classes[i]];
            assertTrue(distance(centres[i], expected) < 40, "point " + i + ": " + centres[i] + ", want " + expected);
            assertTrue(countNear(image, view.px(xs[i]), view.py(ys[i]), 6, Pixels::dark) > 4, "outline of point " + i);
        }
        // Blue and bluish green are the closest pair in RGB, 77 apart.
        assertTrue(distance(centres[0], centres[1]) > 60);
        assertTrue(distance(centres[0], centres[2]) > 60);
        assertTrue(distance(centres[1], centres[2]) > 60);
        assertTrue(distance(centres[0], centres[3]) < 1, "same class, same colour");
    }

    @Test
    void plainScatterHasNoBlackOutline() {
        Chart chart = new Chart("", "", "").scatter(null, new double[] {0, 1}, new double[] {0, 1});
        BufferedImage image = chart.render(W, H);
        Viewport view = chart.viewport(W, H);
        assertTrue(coloured(atData(image, view, 0, 0)));
        assertEquals(0, countNear(image, view.px(0), view.py(0), 6, Pixels::dark));
    }

    @Test
    void isolatedPointOfALineShowsAsADot() {
        Chart chart = new Chart("", "", "").line("one epoch", new double[] {1}, new double[] {0.7});
        BufferedImage image = chart.render(W, H);
        assertTrue(coloured(atData(image, chart.viewport(W, H), 1, 0.7)));
    }

    // ---- legend and annotations ----

    @Test
    void legendAppearsOnlyForLabelledSeries() {
        double[] xs = {0, 1};
        double[] ys = {0, 0};
        Chart labelled = new Chart("", "", "").line("training loss", xs, ys);
        Chart unlabelled = new Chart("", "", "").line(null, xs, ys);
        Rectangle area = labelled.viewport(W, H).area();
        int x0 = area.x + area.width - 150;
        int y0 = area.y + 3;
        assertTrue(countIn(labelled.render(W, H), x0, y0, (int) area.getMaxX() - 3, y0 + 40, Pixels::dark) > 20);
        assertEquals(0, countIn(unlabelled.render(W, H), x0, y0, (int) area.getMaxX() - 3, y0 + 40, Pixels::dark));
    }

    @Test
    void markerRingsThePointAndWritesItsText() {
        double[] xs = {0, 1};
        double[] ys = {0, 0};
        Chart plain = new Chart("", "", "").line(null, xs, ys).yRange(-1, 1);
        Chart marked = new Chart("", "", "").line(null, xs, ys).yRange(-1, 1).marker(0.5, 0.5, "best epoch");
        Viewport view = marked.viewport(W, H);
        double x = view.px(0.5);
        double y = view.py(0.5);
        BufferedImage withMarker = marked.render(W, H);
        BufferedImage without = plain.render(W, H);
        assertTrue(countNear(withMarker, x, y, 6, Pixels::dark) > 5, "ring");
        int textX = (int) x + 8;
        int textY = (int) y - 30;
        assertTrue(countIn(withMarker, textX, textY, textX + 80, (int) y - 6, Pixels::dark) > 20, "text");
        assertEquals(0, countIn(without, textX, textY, textX + 80, (int) y + 6, Pixels::dark));
    }

    @Test
    void legendMovesToTheCornerWithTheLeastData() {
        // A line rising to the top-right corner: the legend goes top-left, and the top-right stays clear.
        Chart chart = new Chart("", "", "").line("rising", new double[] {0, 1}, new double[] {0, 1});
        BufferedImage image = chart.render(W, H);
        Rectangle area = chart.viewport(W, H).area();
        int topLeft = countIn(image, area.x + 3, area.y + 3, area.x + 150, area.y + 40, Pixels::dark);
        int topRight = countIn(image, (int) area.getMaxX() - 150, area.y + 3, (int) area.getMaxX() - 3, area.y + 40, Pixels::dark);
        assertTrue(topLeft > 20, "legend text top-left: " + topLeft);
        assertEquals(0, topRight);
        Viewport view = chart.viewport(W, H);
        assertTrue(colouredNear(image, view.px(0.95), view.py(0.95), 1), "line visible top-right");
    }

    @Test
    void titleAndAxisLabelsAreDrawnOutsideThePlotArea() {
        Chart named = new Chart("A title", "epoch", "loss");
        Chart blank = new Chart("", "", "");
        Rectangle area = named.viewport(W, H).area();
        BufferedImage image = named.render(W, H);
        assertTrue(countIn(image, 0, 0, W, area.y - 2, Pixels::dark) > 30, "title");
        assertTrue(countIn(image, area.x, H - 25, (int) area.getMaxX(), H, Pixels::dark) > 20, "x label");
        assertTrue(countIn(image, 0, area.y, 25, (int) area.getMaxY(), Pixels::dark) > 20, "y label");
        Rectangle blankArea = blank.viewport(W, H).area();
        assertTrue(blankArea.y < area.y && blankArea.height > area.height, "no title, more room");
    }

    // ---- ranges ----

    @Test
    void rangesFitTheDataWithAMargin() {
        Viewport view = new Chart("", "", "").line(null, new double[] {0, 1}, new double[] {0, 10}).viewport(W, H);
        assertEquals(-0.05, view.xMin(), 1e-12);
        assertEquals(1.05, view.xMax(), 1e-12);
        assertEquals(-0.5, view.yMin(), 1e-12);
        assertEquals(10.5, view.yMax(), 1e-12);
    }

    @Test
    void fixedRangesWin() {
        Chart chart = new Chart("", "", "").line(null, new double[] {0, 1}, new double[] {0, 1}).xRange(0, 2).yRange(-1, 3);
        Viewport view = chart.viewport(W, H);
        assertEquals(0, view.xMin());
        assertEquals(2, view.xMax());
        assertEquals(-1, view.yMin());
        assertEquals(3, view.yMax());
        BufferedImage image = chart.render(W, H);
        assertTrue(colouredNear(image, view.px(0.5), view.py(0.5), 1));
        assertFalse(colouredNear(image, view.px(1.5), view.py(1.5), 5), "the line ends at x = 1");
    }

    @Test
    void heatmapExtentIsDataWithoutMargin() {
        Viewport inside = new Chart("", "", "")
                .heatmap(-2, 2, -1, 3, new double[][] {{0.5}})
                .scatter(null, new double[] {0, 1.5}, new double[] {0, 2.5})
                .viewport(W, H);
        assertEquals(-2, inside.xMin());
        assertEquals(2, inside.xMax());
        assertEquals(-1, inside.yMin());
        assertEquals(3, inside.yMax());

        Viewport beyond = new Chart("", "", "")
                .heatmap(-2, 2, -1, 3, new double[][] {{0.5}})
                .scatter(null, new double[] {0, 4}, new double[] {0, 2})
                .viewport(W, H);
        assertEquals(-2, beyond.xMin());
        assertEquals(4.2, beyond.xMax(), 1e-12);
    }

    @Test
    void degenerateDataStillGivesAProperRange() {
        assertRange(new Chart("", "", ""), 0, 1, 0, 1);
        Viewport single = new Chart("", "", "").scatter(null, new double[] {3}, new double[] {-7}).viewport(W, H);
        assertTrue(single.xMin() < 3 && 3 < single.xMax(), single.toString());
        assertTrue(single.yMin() < -7 && -7 < single.yMax(), single.toString());
        Viewport flat = new Chart("", "", "").line(null, new double[] {0, 1, 2}, new double[] {0, 0, 0}).viewport(W, H);
        assertTrue(flat.yMin() < 0 && 0 < flat.yMax(), flat.toString());
        Viewport skipping = new Chart("", "", "")
                .line(null, new double[] {0, 1, Double.POSITIVE_INFINITY, 2}, new double[] {0, 1, 7, Double.NaN})
                .viewport(W, H);
        assertEquals(1.05, skipping.xMax(), 1e-12, "the points at x = ∞ and y = NaN are skipped");
        assertEquals(1.05, skipping.yMax(), 1e-12);
    }

    @Test
    void degenerateInputsRenderWithoutThrowing() {
        double[] none = {};
        double[] nan = {Double.NaN, Double.NaN};
        Chart[] charts = {
            new Chart(null, null, null),
            new Chart("empty series", "x", "y").line("a", none, none).scatter("b", none, none).scatterByClass(none, none, new int[0]),
            new Chart("single", "x", "y").line("a", new double[] {1}, new double[] {1}).marker(1, 1, "here"),
            new Chart("constant", "x", "y").line("a", new double[] {5, 5, 5}, new double[] {2, 2, 2}),
            new Chart("all NaN", "x", "y").line("a", nan, nan).scatter("b", nan, nan).marker(Double.NaN, 0, "nowhere"),
            new Chart("infinite", "x", "y").line("a", new double[] {Double.NEGATIVE_INFINITY, 0, 1}, new double[] {0, Double.POSITIVE_INFINITY, 1}),
            new Chart("huge", "x", "y").line("a", new double[] {-Double.MAX_VALUE, Double.MAX_VALUE}, new double[] {Double.MAX_VALUE, 1e-300}),
            new Chart("tiny span", "x", "y").line("a", new double[] {1, 1 + 1e-15}, new double[] {1, Math.nextUp(1.0)}),
            new Chart("far outside", "x", "y").line("a", new double[] {0, 1e200}, new double[] {0, 1e200}).xRange(0, 1).yRange(0, 1),
            new Chart("empty heatmap", "x", "y").heatmap(0, 1, 0, 1, new double[0][]).contour(0.5),
            new Chart("1×1 heatmap", "x", "y").heatmap(0, 1, 0, 1, new double[][] {{0.3}}).contour(0.5),
            new Chart("wild heatmap", "x", "y").heatmap(0, 1, 0, 1, new double[][] {{-5, Double.NaN}, {Double.POSITIVE_INFINITY, 9}}).contour(0.5),
            new Chart("contour without heatmap", "x", "y").contour(0.5),
        };
        int[][] sizes = {{W, H}, {1, 1}, {7, 300}, {300, 7}, {60, 40}};
        for (Chart chart : charts) {
            for (int[] size : sizes) {
                BufferedImage image = chart.render(size[0], size[1]);
                assertEquals(size[0], image.getWidth());
                assertEquals(size[1], image.getHeight());
            }
        }
    }

    // ---- argument checks ----

    @Test
    void badArgumentsAreRejectedWithTheirValues() {
        Chart chart = new Chart("", "", "");
        assertMessage("got 3 and 4", () -> chart.line("a", new double[3], new double[4]));
        assertMessage("got 2 for 3 points", () -> chart.scatterByClass(new double[3], new double[3], new int[2]));
        assertMessage("got -1 at index 1", () -> chart.scatterByClass(new double[2], new double[2], new int[] {0, -1}));
        assertMessage("row 1 has 1", () -> chart.heatmap(0, 1, 0, 1, new double[][] {{0, 0}, {0}}));
        assertMessage("[1.0, 1.0]", () -> chart.xRange(1, 1));
        assertMessage("[0.0, NaN]", () -> chart.yRange(0, Double.NaN));
        assertMessage("[2.0, 1.0]", () -> chart.heatmap(2, 1, 0, 1, new double[][] {{0}}));
        assertMessage("got Infinity", () -> chart.contour(Double.POSITIVE_INFINITY));
        assertMessage("got 0×480", () -> chart.render(0, 480));
        assertThrows(NullPointerException.class, () -> chart.line("a", null, new double[0]));
    }

    @Test
    void addedArraysAreCopied() {
        double[] xs = {0, 1};
        double[] ys = {0, 1};
        Chart chart = new Chart("", "", "").line(null, xs, ys);
        xs[1] = 100;
        ys[1] = 100;
        assertEquals(1.05, chart.viewport(W, H).xMax(), 1e-12);
    }

    private static void assertRange(Chart chart, double xMin, double xMax, double yMin, double yMax) {
        Viewport view = chart.viewport(W, H);
        assertEquals(xMin, view.xMin());
        assertEquals(xMax, view.xMax());
        assertEquals(yMin, view.yMin());
        assertEquals(yMax, view.yMax());
    }

    private static void assertMessage(String expected, Runnable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call::run);
        assertTrue(e.getMessage().contains(expected), "message: " + e.getMessage());
    }
}
