package dev.soma.app.plot;

import java.awt.BasicStroke;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.geom.Line2D;
import java.awt.image.BufferedImage;
import java.util.Objects;

/**
 * Gridded values in [0, 1] over the rectangle [xMin, xMax] × [yMin, yMax], as {@link Chart#heatmap}
 * describes: {@code values[row][col]} at {@code (xMin + col·dx, yMin + row·dy)}, row 0 at the bottom,
 * drawn with {@link Palette#diverging} and interpolated bilinearly between samples:
 *
 * <pre>
 *   v(x, y) = (1 − ty)·((1 − tx)·v[r][c] + tx·v[r][c+1]) + ty·((1 − tx)·v[r+1][c] + tx·v[r+1][c+1])
 * </pre>
 *
 * where (c + tx, r + ty) is the point's fractional grid position.
 */
record Heatmap(double xMin, double xMax, double yMin, double yMax, double[][] values) {

    /** A heatmap holding a copy of {@code values} (not modified); rows must have equal lengths. */
    static Heatmap of(double xMin, double xMax, double yMin, double yMax, double[][] values) {
        Chart.requireRange("heatmap x", xMin, xMax);
        Chart.requireRange("heatmap y", yMin, yMax);
        Objects.requireNonNull(values, "values");
        double[][] copy = new double[values.length][];
        for (int r = 0; r < values.length; r++) {
            Objects.requireNonNull(values[r], "values row");
            if (values[r].length != values[0].length) {
                throw new IllegalArgumentException("heatmap rows must have the same length, row 0 has "
                        + values[0].length + " values and row " + r + " has " + values[r].length);
            }
            copy[r] = values[r].clone();
        }
        return new Heatmap(xMin, xMax, yMin, yMax, copy);
    }

    /** Paints every pixel of the view's area whose centre lies in the extent; NaN stays unpainted. */
    void draw(Graphics2D g, Viewport view) {
        Rectangle area = view.area();
        int rows = values.length;
        int cols = rows == 0 ? 0 : values[0].length;
        if (cols == 0 || area.width < 1 || area.height < 1) {
            return;
        }
        BufferedImage image = new BufferedImage(area.width, area.height, BufferedImage.TYPE_INT_ARGB);
        for (int py = 0; py < area.height; py++) {
            double y = view.dataY(py);
            if (y < yMin || y > yMax) {
                continue;
            }
            double gy = (y - yMin) / (yMax - yMin) * (rows - 1);
            for (int px = 0; px < area.width; px++) {
                double x = view.dataX(px);
                if (x < xMin || x > xMax) {
                    continue;
                }
                double v = bilinear((x - xMin) / (xMax - xMin) * (cols - 1), gy);
                if (!Double.isNaN(v)) {
                    image.setRGB(px, py, 0xFF000000 | Palette.diverging(v));
                }
            }
        }
        g.drawImage(image, area.x, area.y, null);
    }

    /** Draws where the values cross {@code level}, by {@link Contour marching squares}. */
    void drawContour(Graphics2D g, Viewport view, double level) {
        g.setColor(Palette.CONTOUR);
        g.setStroke(new BasicStroke(1.6f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        for (double[] s : Contour.segments(values, level, xMin, xMax, yMin, yMax)) {
            g.draw(new Line2D.Double(view.px(s[0]), view.py(s[1]), view.px(s[2]), view.py(s[3])));
        }
    }

    /** The value at fractional grid position (gx columns, gy rows) from the 4 nearest samples. */
    private double bilinear(double gx, double gy) {
        int c = Math.min((int) gx, values[0].length - 1);
        int r = Math.min((int) gy, values.length - 1);
        int c1 = Math.min(c + 1, values[0].length - 1);
        int r1 = Math.min(r + 1, values.length - 1);
        double tx = gx - c;
        double ty = gy - r;
        double bottom = values[r][c] * (1 - tx) + values[r][c1] * tx;
        double top = values[r1][c] * (1 - tx) + values[r1][c1] * tx;
        return bottom * (1 - ty) + top * ty;
    }
}
