package dev.soma.app.plot;

import static dev.soma.app.plot.Pixels.blueish;
import static dev.soma.app.plot.Pixels.countIn;
import static dev.soma.app.plot.Pixels.orangeish;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;

class FigureTest {

    private static Chart zeros() {
        return new Chart("zeros", "x", "y").heatmap(0, 1, 0, 1, new double[][] {{0}});
    }

    private static Chart ones() {
        return new Chart("ones", "x", "y").heatmap(0, 1, 0, 1, new double[][] {{1}});
    }

    @Test
    void chartsFillTheGridRowByRow() {
        BufferedImage wide = new Figure(2, zeros(), ones()).render(800, 300);
        assertTrue(blueish(Pixels.at(wide, 200, 150)), "left cell");
        assertTrue(orangeish(Pixels.at(wide, 600, 150)), "right cell");

        BufferedImage tall = new Figure(1, zeros(), ones()).render(400, 800);
        assertTrue(blueish(Pixels.at(tall, 200, 200)), "top cell");
        assertTrue(orangeish(Pixels.at(tall, 200, 600)), "bottom cell");

        BufferedImage grid = new Figure(2, zeros(), ones(), ones()).render(800, 800);
        assertTrue(orangeish(Pixels.at(grid, 200, 600)), "second row, first column");
        assertEquals(0, countIn(grid, 400, 400, 800, 800, c -> blueish(c) || orangeish(c)), "empty last cell");
    }

    @Test
    void titleTakesTheTopAndPushesChartsDown() {
        BufferedImage titled = new Figure(2, zeros(), ones()).title("Overall").render(800, 300);
        BufferedImage plain = new Figure(2, zeros(), ones()).render(800, 300);
        assertTrue(countIn(titled, 300, 0, 500, 30, Pixels::dark) > 30, "title text");
        assertEquals(0, countIn(plain, 300, 0, 500, 10, Pixels::dark));
    }

    @Test
    void moreColumnsThanChartsUseTheWholeWidth() {
        BufferedImage image = new Figure(5, zeros(), ones()).render(800, 300);
        assertTrue(orangeish(Pixels.at(image, 600, 150)), "the second chart fills the right half");
    }

    @Test
    void defaultSizeGivesEachChartItsDefaultSize() {
        BufferedImage image = new Figure(2, zeros(), ones(), zeros()).render();
        assertEquals(2 * Chart.DEFAULT_WIDTH, image.getWidth());
        assertEquals(2 * Chart.DEFAULT_HEIGHT, image.getHeight());
    }

    @Test
    void tinySizesDoNotThrow() {
        Figure figure = new Figure(3, zeros(), ones(), zeros(), ones()).title("t");
        assertEquals(2, figure.render(2, 1).getWidth());
        assertEquals(10, figure.render(5, 10).getHeight());
    }

    @Test
    void badArgumentsAreRejected() {
        IllegalArgumentException columns = assertThrows(IllegalArgumentException.class, () -> new Figure(0, zeros()));
        assertTrue(columns.getMessage().contains("got 0"), columns.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Figure(2));
        assertThrows(NullPointerException.class, () -> new Figure(1, zeros(), null));
    }
}
