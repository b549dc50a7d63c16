package dev.soma.app.plot;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.util.function.Predicate;

/** Reading rendered pictures in tests: colours at data points, and what counts as "blue" or "ink". */
final class Pixels {

    private Pixels() {}

    static Color at(BufferedImage image, double x, double y) {
        return new Color(image.getRGB((int) Math.floor(x), (int) Math.floor(y)));
    }

    /** The colour of the pixel that data point (x, y) falls in. */
    static Color atData(BufferedImage image, Viewport view, double x, double y) {
        return at(image, view.px(x), view.py(y));
    }

    /** Clearly hued: not white, grey or black. */
    static boolean coloured(Color c) {
        int max = Math.max(c.getRed(), Math.max(c.getGreen(), c.getBlue()));
        int min = Math.min(c.getRed(), Math.min(c.getGreen(), c.getBlue()));
        return max - min > 60;
    }

    static boolean blueish(Color c) {
        return c.getBlue() > c.getRed() + 50;
    }

    static boolean orangeish(Color c) {
        return c.getRed() > c.getBlue() + 50;
    }

    /** Dark enough to be text, an outline or a contour line. */
    static boolean dark(Color c) {
        return c.getRed() < 110 && c.getGreen() < 110 && c.getBlue() < 110;
    }

    /** Whether some pixel within {@code radius} of (x, y) is coloured. */
    static boolean colouredNear(BufferedImage image, double x, double y, int radius) {
        return countNear(image, x, y, radius, Pixels::coloured) > 0;
    }

    static int countNear(BufferedImage image, double x, double y, int radius, Predicate<Color> test) {
        int count = 0;
        for (int dy = -radius; dy <= radius; dy++) {
            for (int dx = -radius; dx <= radius; dx++) {
                int px = (int) Math.floor(x) + dx;
                int py = (int) Math.floor(y) + dy;
                if (px >= 0 && py >= 0 && px < image.getWidth() && py < image.getHeight()
                        && test.test(new Color(image.getRGB(px, py)))) {
                    count++;
                }
            }
        }
        return count;
    }

    /** Pixels in the rectangle [x0, x1) × [y0, y1) that pass {@code test}. */
    static int countIn(BufferedImage image, int x0, int y0, int x1, int y1, Predicate<Color> test) {
        int count = 0;
        for (int y = Math.max(0, y0); y < Math.min(y1, image.getHeight()); y++) {
            for (int x = Math.max(0, x0); x < Math.min(x1, image.getWidth()); x++) {
                if (test.test(new Color(image.getRGB(x, y)))) {
                    count++;
                }
            }
        }
        return count;
    }

    /** Euclidean distance between two colours in RGB. */
    static double distance(Color a, Color b) {
        int dr = a.getRed() - b.getRed();
        int dg = a.getGreen() - b.getGreen();
        int db = a.getBlue() - b.getBlue();
        return Math.sqrt(dr * dr + dg * dg + db * db);
    }
}
